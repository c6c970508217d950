--- Places that are not countries: capitals and major cities, regions, US
-- states, provinces and territories in the news, seas and straits. Written by
-- hand. Each string is `"Name"` or `"Name|alias|alias"`.
--
-- Region names used mostly as modifiers of strategies and forums
-- ("Indo-Pacific", "Asia-Pacific", "trans-Atlantic") are in `ignore`: they are
-- not reported as places, and they keep their parts ("Asia", "Pacific") from
-- being reported either.
--
-- @module lede.lists.places
return {
  places = {
    -- capitals and major cities, Asia and Oceania
    "Beijing|Peking", "Shanghai", "Guangzhou", "Shenzhen", "Tianjin", "Chongqing", "Wuhan",
    "Chengdu", "Nanjing", "Hangzhou", "Xi'an", "Harbin", "Shenyang", "Dalian", "Qingdao",
    "Changchun", "Xiamen", "Kunming", "Urumqi", "Lhasa", "Hong Kong", "Macau|Macao", "Taipei",
    "Kaohsiung", "Seoul", "Busan|Pusan", "Incheon", "Daegu", "Gwangju", "Pyongyang", "Kaesong",
    "Panmunjom", "Tokyo", "Osaka", "Kyoto", "Yokohama", "Nagoya", "Sapporo", "Fukuoka",
    "Hiroshima", "Nagasaki", "Okinawa", "Fukushima", "Ulaanbaatar|Ulan Bator", "Hanoi",
    "Ho Chi Minh City|Saigon", "Da Nang", "Bangkok", "Phnom Penh", "Vientiane", "Yangon|Rangoon",
    "Naypyidaw|Naypyitaw", "Kuala Lumpur", "Singapore", "Jakarta", "Bali", "Manila", "Davao",
    "Bandar Seri Begawan", "Dili", "New Delhi", "Delhi", "Mumbai|Bombay", "Kolkata|Calcutta",
    "Chennai|Madras", "Bangalore|Bengaluru", "Hyderabad", "Ahmedabad", "Islamabad", "Karachi",
    "Lahore", "Peshawar", "Kabul", "Kandahar", "Dhaka", "Kathmandu", "Colombo", "Thimphu",
    "Tashkent", "Astana|Nur-Sultan", "Almaty", "Bishkek", "Dushanbe", "Ashgabat",
    "Canberra", "Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Wellington",
    "Auckland", "Port Moresby", "Suva",
    -- Middle East and Africa
    "Tehran", "Baghdad", "Basra", "Mosul", "Erbil", "Damascus", "Aleppo", "Idlib", "Homs",
    "Beirut", "Amman", "Jerusalem", "Tel Aviv", "Gaza|Gaza City", "Ramallah", "Riyadh", "Jeddah",
    "Mecca", "Medina", "Doha", "Dubai", "Abu Dhabi", "Muscat", "Manama", "Kuwait City", "Sanaa",
    "Aden", "Ankara", "Istanbul", "Izmir", "Nicosia", "Cairo", "Alexandria", "Tripoli",
    "Benghazi", "Tunis", "Algiers", "Rabat", "Casablanca", "Khartoum", "Juba", "Addis Ababa",
    "Asmara", "Mogadishu", "Nairobi", "Mombasa", "Kampala", "Kigali", "Dar es Salaam",
    "Dodoma", "Lusaka", "Harare", "Maputo", "Luanda", "Kinshasa", "Brazzaville", "Lagos",
    "Abuja", "Accra", "Dakar", "Bamako", "Niamey", "Ouagadougou", "Abidjan", "Yamoussoukro",
    "Conakry", "Freetown", "Monrovia", "N'Djamena", "Yaounde|Yaoundé", "Libreville",
    "Bangui", "Antananarivo", "Windhoek", "Gaborone", "Pretoria", "Johannesburg",
    "Cape Town", "Durban",
    -- Europe
    "London", "Manchester", "Birmingham", "Liverpool", "Edinburgh", "Glasgow", "Cardiff",
    "Belfast", "Dublin", "Paris", "Marseille", "Lyon", "Strasbourg", "Brussels", "Antwerp",
    "Amsterdam", "The Hague", "Rotterdam", "Luxembourg City", "Berlin", "Munich", "Hamburg",
    "Frankfurt", "Cologne", "Bonn", "Vienna", "Bern", "Geneva", "Zurich", "Davos", "Rome",
    "Milan", "Naples", "Venice", "Florence", "Madrid", "Barcelona", "Valencia", "Seville",
    "Lisbon", "Porto", "Athens", "Thessaloniki", "Valletta", "Copenhagen", "Stockholm",
    "Oslo", "Helsinki", "Reykjavik", "Tallinn", "Riga", "Vilnius", "Warsaw", "Krakow",
    "Prague", "Bratislava", "Budapest", "Ljubljana", "Zagreb", "Belgrade", "Sarajevo",
    "Podgorica", "Skopje", "Tirana", "Pristina", "Sofia", "Bucharest", "Chisinau", "Kyiv|Kiev",
    "Kharkiv|Kharkov", "Odesa|Odessa", "Lviv", "Dnipro", "Mariupol", "Donetsk", "Luhansk",
    "Kherson", "Zaporizhzhia", "Bakhmut", "Sevastopol", "Minsk", "Moscow", "St. Petersburg|Saint Petersburg|St Petersburg",
    "Vladivostok", "Novosibirsk", "Yekaterinburg", "Kaliningrad", "Sochi", "Kazan", "Grozny",
    "Tbilisi", "Yerevan", "Baku",
    -- the Americas
    "Washington", "Washington, D.C.|Washington, DC|Washington DC", "New York|New York City",
    "Los Angeles", "Chicago", "Houston", "Philadelphia", "Phoenix", "San Antonio",
    "San Diego", "Dallas", "San Francisco", "Seattle", "Boston", "Miami", "Atlanta",
    "Detroit", "Denver", "Las Vegas", "New Orleans", "Baltimore", "Pittsburgh", "Honolulu",
    "Anchorage", "Silicon Valley", "Ottawa", "Toronto", "Montreal", "Vancouver", "Calgary",
    "Mexico City", "Guadalajara", "Monterrey", "Tijuana", "Havana", "Guatemala City",
    "San Salvador", "Tegucigalpa", "Managua", "San Jose", "Panama City", "Caracas",
    "Bogota|Bogotá", "Medellin|Medellín", "Quito", "Lima", "La Paz", "Santiago", "Buenos Aires",
    "Montevideo", "Asuncion|Asunción", "Brasilia|Brasília", "Rio de Janeiro", "Sao Paulo|São Paulo",
    "Port-au-Prince", "Santo Domingo", "Kingston", "San Juan",
    -- US states
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington State|Washington state", "West Virginia",
    "Wisconsin", "Wyoming",
    -- provinces, regions and territories in the news
    "England", "Scotland", "Wales", "Northern Ireland", "Catalonia", "Bavaria", "Corsica",
    "Sicily", "Sardinia", "Crimea", "Donbas|Donbass", "Kursk", "Belgorod", "Chechnya",
    "Dagestan", "Siberia", "Transnistria", "Abkhazia", "South Ossetia", "Nagorno-Karabakh",
    "Kurdistan", "Golan Heights", "Gaza Strip", "West Bank", "Sinai", "Darfur", "Tigray",
    "Sahel", "Kashmir", "Jammu and Kashmir", "Punjab", "Balochistan", "Tibet", "Xinjiang",
    "Inner Mongolia", "Guangdong", "Fujian", "Zhejiang", "Jiangsu", "Shandong", "Hubei",
    "Sichuan", "Yunnan", "Hainan", "Jilin", "Liaoning", "Heilongjiang", "Hokkaido",
    "Mindanao", "Aceh", "Papua", "Quebec", "Ontario", "British Columbia", "Alberta",
    "Puerto Rico", "Guam", "Greenland", "Patagonia", "Scandinavia", "Balkans|the Balkans",
    "Caucasus|the Caucasus", "Baltics|the Baltics",
    -- continents, wider regions, seas and straits
    "Europe", "Asia", "Africa", "North America", "South America", "Latin America",
    "Central America", "Antarctica", "Arctic", "Oceania", "Middle East|Mideast",
    "Near East", "Far East", "Eurasia", "East Asia", "Southeast Asia|South-East Asia",
    "South Asia", "Central Asia", "West Asia", "North Africa", "West Africa", "East Africa",
    "Southern Africa", "Sub-Saharan Africa", "Horn of Africa", "Western Europe",
    "Eastern Europe", "Central Europe", "Northeast Asia", "Persian Gulf|Arabian Gulf",
    "Gulf of Aden", "Gulf of Mexico", "Red Sea", "Black Sea", "Baltic Sea", "Caspian Sea",
    "Mediterranean|Mediterranean Sea", "North Sea", "South China Sea", "East China Sea",
    "Yellow Sea", "Sea of Japan", "Sea of Azov", "Pacific|Pacific Ocean", "Atlantic|Atlantic Ocean",
    "Indian Ocean", "Arctic Ocean", "Taiwan Strait", "Strait of Hormuz", "Bosphorus",
    "Suez Canal", "Panama Canal", "Korean Peninsula", "Arabian Peninsula", "Iberian Peninsula",
    "Crimean Peninsula", "Kuril Islands|Kurile Islands", "Senkaku Islands|Diaoyu Islands",
    "Spratly Islands", "Paracel Islands", "Dokdo|Takeshima",
  },
  ignore = {
    "Indo-Pacific", "Asia-Pacific", "Asia Pacific", "Euro-Atlantic", "trans-Atlantic",
    "Transatlantic", "Trans-Pacific", "Pan-African", "Pan-American",
  },
}

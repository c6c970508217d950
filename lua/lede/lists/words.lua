--- Word lists the entity rules use, written by hand.
--
-- `common_words`: words that are capitalised only because they start a
--   sentence or a quote ("The", "However", "According"); such a word never
--   starts a name. Months and days are here too: they are not entities.
-- `generic_words`: capitalised words that are not names on their own and do
--   not start a person's name ("Officials", "National"); they may stand inside
--   an organisation's name ("National Security Council").
-- `org_heads`: words that start an organisation's name ("Institute for ...",
--   "Ministry of ...", "University of ...").
-- `org_tails`: words that end one ("... State University", "... Agency").
-- `place_tails`: words that end a place's name ("Colorado River", "Gaza Strip").
-- `thing_tails`: words that end the name of an event, a law or a programme
--   ("Cybersecurity Summit", "Paris Agreement"): such a name is never a person's.
-- `legal_suffixes`: words that follow a company's name ("Nvidia Corp").
-- `person_cues_after`: verbs that, right after a capitalised name, make it a
--   person's ("Karneev said").
-- `person_cues_before`: phrases that, right before a name, make it a person's
--   ("according to", "said").
--
-- @module lede.lists.words
return {
  common_words = {
    "A", "About", "Above", "Across", "After", "Afterwards", "Again", "Against", "Ago", "All", "Almost",
    "Along", "Already", "Also", "Although", "Always", "Among", "An", "And", "Another", "Any",
    "Anyone", "Anything", "Are", "Around", "As", "At", "Back", "Be", "Because", "Been", "Before",
    "Being", "Below", "Besides", "Between", "Beyond", "Both", "But", "By", "Can", "Could", "Despite",
    "Did", "Do", "Does", "Down", "During", "Each", "Earlier", "Either", "Else", "Even", "Ever",
    "Every", "Everyone", "Everything", "Few", "First", "For", "Former", "From", "Further",
    "Furthermore", "Given", "Had", "Has", "Have", "Having", "He", "Her", "Here", "Hers", "Him",
    "His", "How", "However", "I", "If", "In", "Indeed", "Instead", "Into", "Is", "It", "Its",
    "Just", "Last", "Later", "Least", "Less", "Let", "Like", "Many", "Marked", "May", "Maybe", "Me",
    "Meanwhile", "Might", "Moreover", "Most", "Much", "Must", "My", "Near", "Neither", "Never",
    "Nevertheless", "New", "Next", "No", "Nobody", "None", "Nonetheless", "Nor", "Not", "Nothing",
    "Now", "Of", "Off", "Often", "On", "Once", "One", "Only", "Or", "Other", "Others", "Otherwise",
    "Our", "Out", "Over", "Overall", "Perhaps", "Please", "Previously", "Rather", "Recently",
    "Regarding", "Same", "Second", "Several", "Shall", "She", "Should", "Similarly", "Since", "So",
    "Some", "Someone", "Something", "Sometimes", "Soon", "Still", "Such", "Than", "Thank",
    "Thanks", "That", "The", "Their", "Them", "Then", "There", "Therefore", "These", "They",
    "Third", "This", "Those", "Though", "Through", "Thus", "To", "Today", "Together", "Tomorrow",
    "Too", "Toward", "Towards", "Two", "Three", "Under", "Unless", "Unlike", "Until", "Up", "Upon",
    "Us", "We", "Were", "What", "Whatever", "When", "Whenever", "Where", "Whereas", "Whether",
    "Which", "While", "Who", "Whoever", "Whom", "Whose", "Why", "Will", "With", "Within",
    "Without", "Would", "Yes", "Yesterday", "Yet", "You", "Your", "According", "Asked",
    "Additionally", "Earlier", "Finally", "Following", "Friday", "Speaking",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Saturday", "Sunday", "January", "February",
    "March", "April", "June", "July", "August", "September", "October", "November", "December",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mr", "Mrs", "Ms", "Dr", "Photo", "Video",
    "Read", "Click", "Share", "Watch", "Breaking", "Update", "Updated", "Note",
  },
  generic_words = {
    "Political", "Similar", "Local", "Officials", "Experts", "Analysts", "Critics", "Police",
    "Government", "State", "Federal", "National", "International", "Western", "Eastern",
    "Northern", "Southern", "Central", "Global", "Public", "Private", "Senior", "Top", "Sources",
    "Editor", "Residents", "Authorities", "Observers", "Supporters", "Opponents", "Lawmakers",
    "Protesters", "Troops", "Soldiers", "Forces", "Diplomats", "Leaders", "Ministers", "Officers",
    "European", "Asian", "African", "Arab", "Latin", "Nordic", "Western", "Islamic", "Christian",
    "Muslim", "Jewish", "Catholic", "Orthodox", "Army", "Navy", "Military", "Parliament",
    "Hurricane", "Typhoon", "Cyclone", "Storm", "Tropical", "Prosecutors", "Investigators",
    "Witnesses", "Rescuers", "Doctors", "Scientists", "Researchers", "Astronomers", "Economists",
    "Investors", "Traders", "Rebels", "Militants", "Fighters", "Villagers", "Voters", "Workers",
    "Employees", "Customers", "Consumers", "Students", "Teachers", "Parents", "Fans", "Players",
    "Judges", "Lawyers", "Prosecution", "Defense", "Defence", "Shares", "Stocks", "Markets",
    "Firefighters", "Paramedics", "Survivors", "Victims", "Families", "Refugees", "Migrants",
    "Democrats", "Republicans", "Conservatives", "Liberals", "Socialists", "Muslims", "Christians",
    "Jews", "Kurds", "Palestinians", "Israelis", "Americans", "Britons", "Europeans", "Africans",
    -- acronyms of things, not of organisations
    "IPO", "ETF", "GDP", "AI", "EV", "EVs", "LNG", "NFT", "ICU", "DNA", "RNA", "HIV", "AIDS",
    "COVID", "SUV", "TV", "PC", "VAT", "CPI", "PMI", "MRI", "API", "URL", "FAQ", "PDF", "ID",
    "CEO", "CFO", "COO", "CTO", "MP", "MPs", "PM", "HBM", "GPU", "CPU", "THAAD", "ICBM", "SIM",
  },
  org_heads = {
    "Institute", "Ministry", "Department", "University", "College", "Academy", "School",
    "Bank", "Council", "Committee", "Commission", "Agency", "Office", "Bureau", "Board",
    "Authority", "Federation", "Association", "Union", "League", "Society", "Organization",
    "Organisation", "Foundation", "Fund", "Center", "Centre", "Centers", "Centres", "Museum",
    "Court", "Party", "Church", "Order", "Corps", "Service", "Forum", "Congress", "Assembly", "Parliament",
    "Senate", "Embassy", "Consulate", "Administration", "Directorate", "Command", "Army",
    "Navy", "Force", "Forces", "Guard", "Police", "Chamber", "Hospital", "Laboratory",
    "Library", "Programme", "Program", "Movement", "Front", "Alliance", "Coalition",
    "Group", "Club", "Conference", "Secretariat", "Tribunal", "Observatory", "Consortium",
  },
  org_tails = {
    "University", "College", "Institute", "Academy", "School", "Agency", "Ministry",
    "Department", "Bank", "Council", "Committee", "Commission", "Office", "Bureau", "Board",
    "Authority", "Federation", "Association", "Union", "League", "Society", "Organization",
    "Organisation", "Foundation", "Fund", "Center", "Centre", "Museum", "Court", "Party",
    "Church", "Corps", "Service", "Forum", "Corporation", "Corp", "Corp.", "Company", "Co.",
    "Inc", "Inc.", "Ltd", "Ltd.", "LLC", "PLC", "plc", "AG", "GmbH", "SA", "Group", "Holdings",
    "Industries", "Airlines", "Airways", "Motors", "Technologies", "Systems", "Partners",
    "Capital", "Investments", "Energy", "Co", "Limited", "Incorporated", "Petroleum", "Telecom", "Media", "News", "Times",
    "Post", "Journal", "Herald", "Tribune", "Gazette", "Daily", "Press", "Television", "TV",
    "Radio", "Network", "Broadcasting", "Ministry", "Embassy", "Consulate", "Administration",
    "Directorate", "Command", "Army", "Navy", "Guard", "Police", "Hospital", "Laboratory",
    "Library", "Movement", "Front", "Alliance", "Coalition", "Club", "Secretariat",
    "Design", "Designs", "Studio", "Studios", "Labs", "Lab", "Solutions", "Consulting",
    "Services", "Associates", "Foods", "Pharmaceuticals", "Pharma", "Therapeutics", "Insurance",
    "Securities", "Records", "Entertainment", "Productions", "Pictures", "Publishing",
    "Health", "Healthcare", "Research", "Medical", "Clinic", "Analytics", "Software", "Robotics",
    "Ventures", "Magazine", "Review", "Weekly", "Monthly",
    "Tribunal", "Exchange", "Assembly", "Parliament", "Senate", "Congress", "Cabinet",
    "Council", "Foundation", "Trust", "Initiative", "Project", "Institution", "Think Tank",
    -- companies and clubs
    "FC", "AFC", "CF", "Wanderers", "Rovers", "Athletic", "Albion", "Hotspur", "Town", "United",
    "Water", "Coffee", "Sports", "Motor", "Electric", "Steel", "Chemical", "Chemicals", "Mining",
    "Oil", "Power", "Brands", "Plus", "Logistics", "Semiconductor", "Electronics",
    "Automotive", "Aerospace", "Resources", "Minerals", "Pharmaceutical", "Stores", "Hotels",
    "Resorts", "Restaurants", "Wireless", "Communications", "Networks", "Bancorp", "Biotech",
    "Biologics", "Biosciences", "Genomics", "Diagnostics", "Chamber", "Cartel", "Air",
  },
  place_tails = {
    "River", "Lake", "Mountains", "Mountain", "Mount", "Island", "Islands", "Bay", "Valley",
    "Desert", "Strait", "Canal", "Gulf", "Peninsula", "Province", "County", "Region",
    "Prefecture", "Oblast", "Sea", "Ocean", "Basin", "Plateau", "Coast", "Beach",
    "Square", "Street", "Avenue", "Airport", "Port", "Harbor", "Harbour", "Dam", "Falls",
    "Palace", "Stadium", "Arena", "Castle", "Cathedral", "Temple", "Mosque", "Shrine",
    "Heights", "Hills", "Forest", "Park", "Bridge", "Corridor", "Border", "Building", "Tower", "Garden", "Gardens",
  },
  thing_tails = {
    "Summit", "Conference", "Festival", "Awards", "Award", "Expo", "Week", "Cup", "Championship",
    "Championships", "Games", "Olympics", "Show", "Prize", "Tour", "Series", "Act", "Treaty",
    "Agreement", "Accord", "Declaration", "Initiative", "Programme", "Program", "Protocol",
    "Convention", "Live", "Online", "Edition", "Report", "Index", "Strategy", "Doctrine",
    "Plan", "Project", "Mission", "Operation", "Campaign", "Challenge", "Trophy", "Marathon",
  },
  legal_suffixes = {
    "Corp", "Corp.", "Corporation", "Inc", "Inc.", "Co", "Co.", "Ltd", "Ltd.", "LLC", "PLC", "plc",
    "AG", "SA", "SE", "NV", "GmbH", "Limited", "Incorporated", "Group", "Holdings",
  },
  person_cues_after = {
    "said", "says", "told", "tells", "added", "adds", "stated", "states", "stressed",
    "noted", "explained", "argued", "warned", "claimed", "insisted", "believes", "believed",
    "thinks", "wrote", "writes", "asked", "replied", "recalled", "admitted", "acknowledged",
    "announced", "declared", "urged", "emphasized", "emphasised", "pointed", "suggested",
    "concluded", "continued", "commented", "remarked", "confirmed", "denied", "met", "visited",
    "died", "resigned", "who", "scored", "scoring", "pleaded", "testified", "tweeted", "joked",
    "conceded", "vowed", "complained", "recalls", "insists", "admits",
  },
  person_cues_before = {
    "according to", "said", "says", "by", "interview with", "spoke to", "quoted",
  },
}

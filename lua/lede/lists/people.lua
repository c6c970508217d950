--- People in the news: current and recent heads of state and government and
-- foreign ministers of the G20 and of other countries often in the news,
-- leaders of international organisations. Written by hand.
--
-- Each entry is `"Full Name|alias|alias"` (aliases are the forms news copy
-- uses alone: a surname or a well-known short form), or a table
-- `{ "Full Name|alias", gender = "m" | "f" }` when the first name does not say
-- the gender (otherwise the given name's gender in names.lua is used). A surname shared by two people in this list is not an alias of
-- either (it still resolves within an article that names one of them in full).
--
-- @module lede.lists.people
return {
  people = {
    -- United States
    "Donald Trump|Trump|Donald J. Trump", "Joe Biden|Biden|Joseph Biden|Joseph R. Biden",
    "Barack Obama|Obama", "George W. Bush", "Bill Clinton", "Hillary Clinton",
    "Kamala Harris|Harris", { "JD Vance|Vance|J.D. Vance", gender = "m" }, "Mike Pence|Pence",
    "Antony Blinken|Blinken", "Mike Pompeo|Pompeo", "Rex Tillerson|Tillerson", "John Kerry",
    "Marco Rubio|Rubio", "Pete Hegseth|Hegseth", "Lloyd Austin", "Jake Sullivan",
    "Nancy Pelosi|Pelosi", "Mike Johnson", "Chuck Schumer|Schumer", "Mitch McConnell|McConnell",
    "Elon Musk|Musk", "Jerome Powell|Powell", "Janet Yellen|Yellen",
    -- China
    { "Xi Jinping|Xi", gender = "m" }, { "Li Qiang", gender = "m" }, { "Li Keqiang", gender = "m" },
    { "Wang Yi", gender = "m" }, { "Qin Gang", gender = "m" }, { "Hu Jintao", gender = "m" },
    { "Wen Jiabao", gender = "m" }, { "Han Zheng", gender = "m" }, { "Zhao Lijian", gender = "m" },
    { "Hua Chunying", gender = "f" }, { "Wang Wenbin", gender = "m" }, { "Mao Ning", gender = "f" },
    { "Lin Jian", gender = "m" }, { "Dong Jun", gender = "m" }, { "Wei Fenghe", gender = "m" },
    -- Russia
    "Vladimir Putin|Putin", "Dmitry Medvedev|Medvedev|Dmitri Medvedev",
    "Mikhail Mishustin|Mishustin", "Sergei Lavrov|Lavrov|Sergey Lavrov",
    "Dmitry Peskov|Peskov|Dmitri Peskov", "Maria Zakharova|Zakharova", "Sergei Shoigu|Shoigu",
    "Andrei Belousov|Belousov", "Alexei Navalny|Navalny",
    -- Korea
    { "Moon Jae-in|Moon Jae In", gender = "m" }, { "Yoon Suk Yeol|Yoon Suk-yeol|Yoon", gender = "m" },
    { "Lee Jae-myung|Lee Jae Myung", gender = "m" }, { "Park Geun-hye|Park Geun Hye", gender = "f" },
    { "Lee Myung-bak", gender = "m" }, { "Kang Kyung-wha", gender = "f" },
    { "Chung Eui-yong", gender = "m" }, { "Park Jin", gender = "m" }, { "Cho Tae-yul", gender = "m" },
    { "Han Duck-soo", gender = "m" }, { "Cho Hyun", gender = "m" },
    { "Kim Jong Un|Kim Jong-un|Kim Jong-Un", gender = "m" }, { "Kim Jong Il|Kim Jong-il", gender = "m" },
    { "Kim Il Sung|Kim Il-sung", gender = "m" }, { "Kim Yo Jong|Kim Yo-jong", gender = "f" },
    { "Choe Son Hui|Choe Son-hui", gender = "f" }, { "Ri Yong Ho|Ri Yong-ho", gender = "m" },
    -- Japan
    "Shinzo Abe|Abe", "Yoshihide Suga|Suga", "Fumio Kishida|Kishida", "Shigeru Ishiba|Ishiba",
    { "Sanae Takaichi|Takaichi", gender = "f" }, "Taro Kono|Kono", "Toshimitsu Motegi|Motegi",
    "Yoshimasa Hayashi", { "Yoko Kamikawa|Kamikawa", gender = "f" }, "Takeshi Iwaya|Iwaya",
    "Emperor Naruhito|Naruhito",
    -- Vietnam and South-East Asia
    { "Nguyen Phu Trong", gender = "m" }, { "To Lam", gender = "m" }, { "Pham Minh Chinh", gender = "m" },
    { "Nguyen Xuan Phuc", gender = "m" }, { "Vo Van Thuong", gender = "m" }, { "Bui Thanh Son", gender = "m" },
    { "Pham Binh Minh", gender = "m" }, "Joko Widodo|Jokowi", "Prabowo Subianto|Prabowo",
    { "Retno Marsudi", gender = "f" }, { "Ferdinand Marcos Jr.|Marcos|Bongbong Marcos", gender = "m" },
    "Rodrigo Duterte|Duterte", "Anwar Ibrahim", { "Lee Hsien Loong", gender = "m" },
    { "Lawrence Wong", gender = "m" }, { "Hun Sen", gender = "m" }, { "Hun Manet", gender = "m" },
    { "Min Aung Hlaing", gender = "m" }, { "Aung San Suu Kyi|Suu Kyi", gender = "f" },
    { "Tsai Ing-wen", gender = "f" }, { "Lai Ching-te", gender = "m" }, { "Ma Ying-jeou", gender = "m" },
    -- United Kingdom
    "Boris Johnson", "Theresa May", "David Cameron|Cameron", "Rishi Sunak|Sunak", "Liz Truss|Truss",
    "Keir Starmer|Starmer", "King Charles III|King Charles", "Queen Elizabeth II|Queen Elizabeth",
    "David Lammy|Lammy", "James Cleverly|Cleverly", "Dominic Raab|Raab", "Jeremy Hunt",
    "Yvette Cooper", "Rachel Reeves",
    -- European Union and Europe
    "Emmanuel Macron|Macron", "Francois Hollande|François Hollande|Hollande", "Nicolas Sarkozy|Sarkozy",
    "Jean-Yves Le Drian|Le Drian", "Catherine Colonna|Colonna", "Stephane Sejourne|Stéphane Séjourné",
    "Jean-Noel Barrot|Jean-Noël Barrot", "Michel Barnier|Barnier", "Francois Bayrou|François Bayrou|Bayrou",
    "Sebastien Lecornu|Sébastien Lecornu|Lecornu", "Marine Le Pen|Le Pen", "Gabriel Attal|Attal",
    "Angela Merkel|Merkel", "Olaf Scholz|Scholz", "Friedrich Merz|Merz", "Frank-Walter Steinmeier|Steinmeier",
    "Heiko Maas", "Annalena Baerbock|Baerbock", "Johann Wadephul|Wadephul",
    "Giorgia Meloni|Meloni", "Mario Draghi|Draghi", "Giuseppe Conte", "Sergio Mattarella|Mattarella",
    "Antonio Tajani|Tajani", "Pedro Sanchez|Pedro Sánchez", "Mark Rutte|Rutte", "Donald Tusk|Tusk",
    "Andrzej Duda|Duda", "Radoslaw Sikorski|Radosław Sikorski|Sikorski", "Viktor Orban|Viktor Orbán|Orban|Orbán",
    "Recep Tayyip Erdogan|Recep Tayyip Erdoğan|Erdogan|Erdoğan", "Mevlut Cavusoglu|Mevlüt Çavuşoğlu|Cavusoglu",
    "Hakan Fidan|Fidan", "Ursula von der Leyen|von der Leyen", "Charles Michel",
    "Antonio Costa|António Costa", "Josep Borrell|Borrell", "Kaja Kallas|Kallas",
    "Jean-Claude Juncker|Juncker", "Christine Lagarde|Lagarde", "Jens Stoltenberg|Stoltenberg",
    "Volodymyr Zelensky|Zelensky|Zelenskyy|Volodymyr Zelenskyy|Zelenskiy", "Dmytro Kuleba|Kuleba",
    "Andrii Sybiha|Sybiha", "Petro Poroshenko|Poroshenko", "Denys Shmyhal|Shmyhal",
    "Yulia Svyrydenko|Svyrydenko", "Alexander Lukashenko|Lukashenko", "Pope Francis",
    { "Pope Leo XIV", gender = "m" }, "Pope Benedict XVI",
    -- Americas
    "Justin Trudeau|Trudeau", "Mark Carney|Carney", "Chrystia Freeland|Freeland", "Melanie Joly|Mélanie Joly",
    "Anita Anand", "Claudia Sheinbaum|Sheinbaum", "Andres Manuel Lopez Obrador|Andrés Manuel López Obrador|Lopez Obrador|López Obrador",
    "Marcelo Ebrard|Ebrard", "Enrique Pena Nieto|Enrique Peña Nieto|Pena Nieto|Peña Nieto",
    { "Luiz Inacio Lula da Silva|Luiz Inácio Lula da Silva|Lula da Silva|Lula", gender = "m" },
    "Jair Bolsonaro|Bolsonaro", "Dilma Rousseff|Rousseff", "Mauro Vieira", "Javier Milei|Milei",
    "Alberto Fernandez|Alberto Fernández", "Mauricio Macri|Macri", "Nicolas Maduro|Nicolás Maduro|Maduro",
    "Gustavo Petro", "Gabriel Boric|Boric", "Miguel Diaz-Canel|Miguel Díaz-Canel|Diaz-Canel|Díaz-Canel",
    "Nayib Bukele|Bukele",
    -- South Asia, Middle East, Africa, Oceania
    "Narendra Modi|Modi", { "Subrahmanyam Jaishankar|S. Jaishankar|Jaishankar", gender = "m" },
    { "Droupadi Murmu", gender = "f" }, "Ram Nath Kovind", "Manmohan Singh", "Rahul Gandhi",
    "Shehbaz Sharif", "Nawaz Sharif", "Imran Khan", { "Asif Ali Zardari|Zardari", gender = "m" },
    "Sheikh Hasina", "Muhammad Yunus",
    "Benjamin Netanyahu|Netanyahu", "Isaac Herzog|Herzog", "Naftali Bennett|Bennett", "Yair Lapid|Lapid",
    "Gideon Saar|Gideon Sa'ar", "Israel Katz", "Yoav Gallant|Gallant", "Mahmoud Abbas",
    "Ali Khamenei|Khamenei|Ayatollah Ali Khamenei", "Hassan Rouhani|Rouhani", "Ebrahim Raisi|Raisi",
    "Masoud Pezeshkian|Pezeshkian", "Javad Zarif|Mohammad Javad Zarif|Zarif", "Abbas Araghchi|Araghchi",
    "Bashar al-Assad|Assad|Bashar Assad", "Ahmed al-Sharaa|al-Sharaa", "Abdel Fattah al-Sisi|Sisi|el-Sisi",
    "King Salman", "Mohammed bin Salman|MBS|Mohammed bin Salman Al Saud", "Faisal bin Farhan",
    "Tamim bin Hamad Al Thani", "Mohamed bin Zayed|Mohammed bin Zayed", "King Abdullah II|King Abdullah",
    "Cyril Ramaphosa|Ramaphosa", "Jacob Zuma|Zuma", { "Naledi Pandor|Pandor", gender = "f" },
    "Ronald Lamola|Lamola", "Bola Tinubu|Tinubu", "William Ruto|Ruto", "Paul Kagame|Kagame",
    "Abiy Ahmed|Abiy", "Anthony Albanese|Albanese", "Scott Morrison|Morrison", "Malcolm Turnbull|Turnbull",
    "Penny Wong", { "Marise Payne", gender = "f" }, "Julie Bishop", "Christopher Luxon|Luxon",
    "Jacinda Ardern|Ardern",
    -- international organisations
    "Antonio Guterres|António Guterres|Guterres", { "Ban Ki-moon", gender = "m" },
    "Kristalina Georgieva|Georgieva", "Tedros Adhanom Ghebreyesus|Tedros", "Rafael Grossi|Grossi",
    "Ngozi Okonjo-Iweala|Okonjo-Iweala", "Ajay Banga",
  },
}

--- Job titles and roles, the words that modify them, and honorifics. Written
-- by hand; matched without regard to case ("Foreign Minister", "foreign
-- minister").
--
-- `titles`: a title or role that, written just before or in apposition to a
--   name, makes it a person's ("Chinese Foreign Minister Wang Yi",
--   "Andrei Karneev, deputy director of ...").
-- `role_modifiers`: words that stand before a title as part of the role
--   ("deputy", "former", "acting").
-- `honorifics`: forms of address before a name, with the gender they imply
--   ("m", "f", or "" when none).
--
-- @module lede.lists.titles
return {
  titles = {
    -- heads of state and government, ministers
    "President", "Vice President", "Vice-President", "President-elect", "Prime Minister",
    "Deputy Prime Minister", "Premier", "Vice Premier", "Chancellor", "Vice Chancellor",
    "Foreign Minister", "Minister", "Deputy Minister", "Vice Minister", "Vice Foreign Minister",
    "Deputy Foreign Minister", "Minister of Foreign Affairs", "Foreign Secretary",
    "Defense Minister", "Defence Minister", "Minister of Defense", "Minister of Defence",
    "Defense Secretary", "Defence Secretary", "Secretary of Defense", "Secretary of War", "War Secretary",
    "Finance Minister", "Minister of Finance", "Economy Minister", "Trade Minister",
    "Interior Minister", "Home Secretary", "Home Minister", "Justice Minister",
    "Health Minister", "Energy Minister", "Education Minister", "Culture Minister",
    "Unification Minister", "Industry Minister", "Agriculture Minister", "Transport Minister",
    "Environment Minister", "Labour Minister", "Labor Minister", "Communications Minister",
    "Minister of State", "Cabinet Secretary", "Chief Cabinet Secretary", "Secretary of State",
    "Treasury Secretary", "Secretary of the Treasury", "Commerce Secretary", "Attorney General",
    "Attorney-General", "Secretary", "Under Secretary", "Undersecretary", "Assistant Secretary",
    "Deputy Secretary", "Secretary-General", "Secretary General", "General Secretary",
    "Deputy Secretary-General", "Under-Secretary-General", "High Representative",
    "National Security Adviser", "National Security Advisor", "Security Adviser",
    "Chief of Staff", "Press Secretary", "Speaker", "House Speaker", "Majority Leader",
    "Minority Leader", "Senator", "Sen.", "Representative", "Rep.", "Congressman",
    "Congresswoman", "Lawmaker", "MP", "Member of Parliament", "Governor", "Gov.", "Lieutenant Governor",
    "Administrator", "Deputy Administrator", "Mayor", "Deputy Mayor", "Councillor", "Councilor", "Ambassador", "Envoy", "Special Envoy",
    "Consul", "Consul General", "Diplomat", "Commissioner", "High Commissioner",
    "King", "Queen", "Prince", "Princess", "Crown Prince", "Emperor", "Empress", "Sultan",
    "Emir", "Sheikh", "Pope", "Cardinal", "Archbishop", "Bishop", "Ayatollah", "Supreme Leader",
    "Leader", "Chairman", "Chairwoman", "Chairperson", "Chair", "Vice Chairman", "Co-chair",
    -- military and police
    "General", "Gen.", "Lieutenant General", "Lt. Gen.", "Major General", "Maj. Gen.",
    "Brigadier General", "Admiral", "Adm.", "Vice Admiral", "Rear Admiral", "Colonel", "Col.",
    "Lieutenant Colonel", "Lt. Col.", "Major", "Maj.", "Captain", "Capt.", "Lieutenant", "Lt.",
    "Sergeant", "Sgt.", "Commander", "Chief of General Staff", "Chief of the General Staff",
    "Chief of Defence Staff", "Commander-in-Chief", "Police Chief", "Police Commissioner",
    "Chief Inspector", "Inspector", "Superintendent", "Police Superintendent", "Deputy Chief", "Detective", "Sheriff", "Prosecutor", "Chief Prosecutor",
    "Prosecutor General", "Judge", "Justice", "Chief Justice", "Magistrate",
    -- organisations, business, academia, media
    "spokesperson", "spokesman", "spokeswoman", "press officer", "counterpart", "director",
    "director-general", "director general", "executive director", "managing director",
    "head", "chief", "chief executive", "chief executive officer", "CEO", "CFO", "COO", "CTO",
    "chief economist", "chief strategist", "chief analyst", "economist", "strategist", "analyst",
    "president", "vice president", "founder", "co-founder", "owner", "chairman", "chairwoman",
    "board member", "partner", "manager", "general manager", "deputy head", "deputy director",
    "deputy chief", "secretary", "adviser", "advisor", "senior adviser", "aide", "official",
    "officer", "representative", "delegate", "negotiator", "chief negotiator", "coordinator",
    "professor", "Prof.", "associate professor", "assistant professor", "lecturer",
    "researcher", "research fellow", "senior fellow", "fellow", "scholar", "expert",
    "specialist", "scientist", "historian", "political scientist", "political analyst",
    "political observer", "observer", "commentator", "columnist", "editor", "editor-in-chief",
    "correspondent", "reporter", "journalist", "author", "writer", "lawyer", "attorney",
    "doctor", "Dr.", "Dr", "physician", "nurse", "teacher", "student", "activist", "campaigner",
    "leader", "coach", "captain", "player", "actor", "actress", "singer", "rapper", "artist",
    "director of research", "head of research", "head of state", "head of government",
    "member", "candidate", "nominee", "mayor", "governor", "senator", "minister", "ambassador",
    "envoy", "commander", "general", "president-elect", "prime minister", "foreign minister",
    -- sport
    "forward", "striker", "midfielder", "defender", "goalkeeper", "winger", "coach",
    "head coach", "assistant coach", "boss", "quarterback", "pitcher", "skipper", "manager",
    "champion", "world champion", "teammate", "team-mate",
  },
  role_modifiers = {
    "former", "ex-", "then", "then-", "acting", "interim", "deputy", "vice", "assistant",
    "associate", "senior", "junior", "chief", "top", "outgoing", "incoming", "first", "late",
    "retired", "current", "new", "longtime", "veteran", "lead", "principal", "regional",
    "national", "federal", "state", "presidential", "military", "foreign", "defence", "defense",
    "finance", "economic", "political", "security", "government", "party", "opposition",
    "ruling", "independent", "prominent", "leading", "well-known", "renowned", "local",
  },
  honorifics = {
    ["Mr"] = "m", ["Mr."] = "m", ["Mrs"] = "f", ["Mrs."] = "f", ["Ms"] = "f", ["Ms."] = "f",
    ["Miss"] = "f", ["Sir"] = "m", ["Dame"] = "f", ["Lord"] = "m", ["Lady"] = "f",
    ["Madam"] = "f", ["Madame"] = "f", ["Mme"] = "f", ["Monsieur"] = "m", ["Herr"] = "m",
    ["Frau"] = "f", ["Dr"] = "", ["Dr."] = "", ["Prof"] = "", ["Prof."] = "",
    ["Rev."] = "", ["Reverend"] = "", ["Father"] = "m", ["Sister"] = "f", ["Brother"] = "m",
    ["Rabbi"] = "", ["Imam"] = "m", ["Sheikh"] = "m", ["Prince"] = "m", ["Princess"] = "f",
    ["King"] = "m", ["Queen"] = "f", ["Emir"] = "m", ["Sultan"] = "m", ["Pope"] = "m",
  },
}

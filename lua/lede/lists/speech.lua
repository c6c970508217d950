--- Words and phrases that attribute speech: the data behind lede.quotes.
--
-- Written by hand for English news copy. Every section is a plain array of
-- lower-case strings (or a table of them) so that a user list can add to it
-- through a `speech` section with the same keys; matching ignores case.
--
-- - `source_cues`: phrases put before the source of reported content
--   ("According to Andrei Karneev, ...").
-- - `pronouns`: subject pronouns and what they refer to: `m`/`f` a person,
--   `plural` a group, `neuter` an organisation, `first` the writer (never
--   resolved).
-- - `roles`: nouns naming a person by role, grouped in classes; a definite
--   description ("the political observer") is resolved to the most recent
--   person whose role falls in the same class, or, for the `expert` class,
--   to the most recent quoted person. `plurals` maps irregular plurals.
-- - `organizations`: nouns naming an organisation ("the ministry said").
-- - `documents`: nouns naming a text that speaks ("the statement said"):
--   never resolved to an entity.
-- - `unnamed`: determiners and quantifiers that make a description unnamed
--   ("other experts", "a source", "some analysts").
-- - `definite`: determiners of a definite description, resolved to an entity.
-- - `postmodifiers`: what may follow an unnamed source before the verb
--   ("a source familiar with the matter said").
-- - `listeners`: words that can stand between a reporting verb and "that"
--   as its listener ("told reporters that", "told the BBC that").
-- - `prepositions`, `relatives`, `be_forms`, `finite`, `time_words`,
--   `skip_before_verb`, `function_words`: the small grammar the attribution
--   rules need.
--
-- @module lede.lists.speech
return {
  source_cues = { "according to", "in the words of", "as quoted by" },

  pronouns = {
    he = "m", she = "f", they = "plural", it = "neuter", i = "first", we = "first",
    others = "plural",
  },

  roles = {
    expert = {
      "expert", "analyst", "observer", "scholar", "researcher", "economist", "commentator",
      "professor", "specialist", "academic", "scientist", "strategist", "pundit",
      "historian", "sociologist", "political scientist", "lecturer", "fellow", "consultant",
    },
    spokesperson = {
      "spokesperson", "spokesman", "spokeswoman", "representative", "press secretary",
    },
    official = {
      "official", "source", "insider", "aide", "adviser", "advisor", "staffer", "diplomat",
      "officer", "negotiator", "envoy", "ambassador", "delegate",
    },
    minister = { "minister", "secretary", "foreign minister", "prime minister" },
    president = { "president", "premier", "chancellor", "leader", "head of state" },
    executive = {
      "director", "chairman", "chairwoman", "chair", "head", "chief", "executive", "ceo",
      "founder", "manager", "owner", "president",
    },
    politician = {
      "politician", "lawmaker", "legislator", "senator", "congressman", "congresswoman",
      "governor", "mayor", "mp", "deputy", "candidate",
    },
    military = { "general", "commander", "colonel", "admiral", "officer", "soldier" },
    legal = { "lawyer", "attorney", "judge", "prosecutor", "solicitor", "barrister" },
    other = {
      "witness", "resident", "victim", "activist", "campaigner", "author", "writer",
      "journalist", "reporter", "editor", "columnist", "investor", "trader", "banker",
      "worker", "employee", "teacher", "student", "coach", "player", "doctor", "nurse",
      "member", "critic", "supporter", "opponent", "protester", "demonstrator", "farmer",
      "resident", "neighbor", "neighbour", "friend", "relative", "survivor", "user",
      "man", "woman", "person", "citizen", "voter", "parent", "mother", "father",
      "captain", "teammate", "winger", "forward", "defenseman", "defender", "goalie",
      "goalkeeper", "quarterback", "striker", "midfielder", "pitcher", "athlete", "runner",
    },
  },

  plurals = {
    people = "person", men = "man", women = "woman", spokesmen = "spokesman",
    spokeswomen = "spokeswoman", chairmen = "chairman", congressmen = "congressman",
    congresswomen = "congresswoman", analyses = "analysis", police = "police",
  },

  organizations = {
    "ministry", "government", "agency", "company", "firm", "department", "office",
    "embassy", "police", "army", "military", "court", "committee", "commission", "council",
    "group", "bank", "university", "institute", "union", "party", "parliament",
    "administration", "authorities", "cabinet", "kremlin", "pentagon", "white house",
    "foundation", "organization", "organisation", "association", "federation", "board",
    "regulator", "team", "club", "campaign", "newspaper", "broadcaster", "network",
    "website", "outlet", "airline", "carrier", "manufacturer", "producer", "maker",
    "operator", "hospital", "school", "service", "force", "forces", "coalition", "alliance",
    "side", "state", "country", "nation", "city", "county", "region", "province",
  },

  documents = {
    "statement", "report", "study", "survey", "letter", "document", "documents", "filing",
    "release", "communique", "memo", "note", "poll", "analysis", "paper", "article",
    "editorial", "post", "tweet", "message", "announcement", "data", "figures", "research",
    "findings", "complaint", "lawsuit", "indictment", "ruling", "decision", "order",
    "bill", "law", "draft", "plan", "proposal", "agreement", "report",
  },

  unnamed = {
    "a", "an", "one", "some", "other", "another", "several", "many", "most", "few",
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens",
    "numerous", "various", "certain", "multiple", "all", "both", "his", "her", "their",
    "its", "our", "my", "your", "unnamed", "anonymous", "more", "fewer",
  },

  definite = { "the", "this" },

  postmodifiers = {
    "familiar with", "close to", "with knowledge of", "with direct knowledge of",
    "briefed on", "involved in", "knowledgeable about", "speaking on condition of",
    "who spoke on condition of", "who asked not to be named", "who declined to be named",
    "who requested anonymity", "who spoke on the condition of", "at", "in", "from", "of",
    "for", "with",
  },

  listeners = {
    "me", "him", "her", "us", "them", "you", "reporters", "journalists", "lawmakers",
    "legislators", "parliament", "congress", "the press", "the media", "media", "press",
    "supporters", "delegates", "students", "viewers", "listeners", "readers", "investors",
    "analysts", "employees", "staff", "the public", "the audience", "the crowd",
    "a news conference", "a press conference", "the committee", "the court", "the jury",
  },

  prepositions = {
    "with", "in", "at", "on", "of", "for", "from", "by", "to", "during", "after", "before",
    "about", "into", "over", "under", "via", "among", "between", "through", "without",
    "within", "against", "across", "behind", "near", "toward", "towards", "upon",
    "despite", "amid", "per", "than", "including", "following", "regarding", "concerning",
  },

  relatives = { "who", "which", "whose", "whom", "where", "when", "while", "whereas" },

  be_forms = {
    "is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s", "it's", "it’s",
    "he's", "he’s", "she's", "she’s", "that's", "that’s", "there's", "there’s", "what's",
    "what’s",
  },

  finite = {
    "is", "are", "was", "were", "will", "would", "can", "could", "should", "may", "might",
    "must", "shall", "has", "have", "had", "does", "did", "do", "won't", "wouldn't",
    "can't", "cannot", "couldn't", "shouldn't", "isn't", "aren't", "wasn't", "weren't",
    "hasn't", "haven't", "hadn't", "doesn't", "didn't", "don't", "won’t", "wouldn’t",
    "can’t", "couldn’t", "shouldn’t", "isn’t", "aren’t", "wasn’t", "weren’t", "hasn’t",
    "haven’t", "hadn’t", "doesn’t", "didn’t", "don’t", "needs", "remains", "means", "seems",
    "appears", "plans", "wants", "intends", "hopes", "expects", "makes", "takes", "gives",
    "goes", "comes", "lies", "depends", "continues", "poses", "threatens", "faces",
  },

  time_words = {
    "today", "yesterday", "tomorrow", "tonight", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "weekend", "week", "month", "year",
    "morning", "afternoon", "evening", "night", "earlier", "later", "last", "next", "this",
    "recently", "previously", "ago", "again", "also", "separately", "privately",
    "publicly", "repeatedly", "then", "now", "once", "first",
  },

  -- Words of quantity before "of": "58 percent of users say" is unnamed.
  quantities = {
    "percent", "per cent", "%", "majority", "minority", "half", "third", "quarter", "most",
    "many", "some", "none", "all", "each", "one", "two", "three", "several", "dozens",
    "hundreds", "thousands", "millions", "number", "share", "proportion", "plurality",
  },

  -- Modal verbs: "can confirm", "should tell" do not report what was said.
  modals = {
    "can", "could", "should", "must", "may", "might", "will", "would", "shall", "'ll", "’ll",
    "cannot", "can't", "can’t", "won't", "won’t", "wouldn't", "wouldn’t", "don't", "don’t",
    "doesn't", "doesn’t", "didn't", "didn’t", "not", "never",
  },

  skip_before_verb = {
    "also", "has", "have", "had", "later", "then", "once", "further", "again", "earlier",
    "did", "does", "do", "not", "never", "would", "will", "could", "should", "might", "may",
    "must", "can", "often", "always", "still", "already", "even", "just", "only", "too",
    "had", "has", "first", "last", "subsequently", "previously", "recently", "reportedly",
  },

  function_words = {
    "a", "an", "the", "and", "but", "or", "nor", "so", "yet", "for", "if", "when", "while",
    "as", "since", "because", "although", "though", "however", "moreover", "meanwhile",
    "nevertheless", "nonetheless", "still", "also", "then", "thus", "therefore", "in", "on",
    "at", "by", "with", "from", "to", "of", "after", "before", "during", "over", "under",
    "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
    "his", "her", "their", "our", "my", "your", "there", "here", "what", "which", "who",
    "whom", "whose", "where", "why", "how", "some", "many", "most", "all", "both", "each",
    "every", "no", "not", "one", "according", "instead", "indeed", "besides", "despite",
    "amid", "among", "between", "speaking", "asked", "earlier", "later", "last", "next",
    "today", "yesterday", "tomorrow", "now", "such", "other", "another", "several", "more",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "similar", "similarly", "similarly", "finally",
    "first", "second", "third", "again", "even", "only", "just", "yes", "well", "oh",
    "nobody", "somebody", "everybody", "anybody", "everyone", "someone", "anyone", "none",
    "nothing", "everything", "something", "anything", "additionally", "furthermore",
    "frankly", "unfortunately", "fortunately", "interestingly", "importantly", "notably",
    "overall", "ultimately", "currently", "recently", "likewise", "specifically", "generally",
    "typically", "frustratingly", "honestly", "clearly", "obviously", "apparently", "meanwhile",
    "i'll", "i’ll", "i'm", "i’m", "i've", "i’ve", "i'd", "i’d", "we'll", "we’ll", "we're",
    "we’re", "we've", "we’ve", "you'll", "you’ll", "you're", "you’re", "here's", "here’s",
  },

  -- Forms of reporting verbs that scraped pages use mostly as nouns ("14
  -- comments", "the report"): a sentence holding only these is not read for
  -- reported speech (next to a quotation mark it still is).
  noun_forms = {
    "state", "states", "comment", "comments", "report", "reports", "reply", "replies",
    "answer", "answers", "demand", "demands", "reason", "reasons", "note", "notes",
    "question", "questions", "signal", "signals", "promise", "promises", "protest",
    "protests", "repeat", "guarantee", "doubt", "doubts", "fear", "fears", "hope", "hopes",
    "forecast", "forecasts", "estimate", "estimates", "tweet", "tweets", "counter",
  },

  -- Two-word nouns whose first word is a reporting verb: not a verb there.
  compounds = {
    "think tank", "think tanks", "call center", "call centre", "report card", "state department",
    "state media", "state television", "state news", "note book", "post office", "answer sheet",
  },

    -- Direct quotes: the least number of words a quoted fragment inside a
  -- sentence needs to count as speech ("called it “a farce”" is not), and a
  -- quote with no speaker at all.
  min_fragment_words = 3,
  min_unattributed_words = 4,
}

-- Tagalog stopwords from jusText (see README.md and LICENSE.jusText.rst), lower-cased, most frequent first.
return {
  "ng", "sa", "na", "ay", "ang", "mga", "isang", "at", "o", "si", "noong", "bansang", "ni",
  "ito", "may", "bilang", "lalawigan", "siya", "artista", "mula", "kanyang", "hindi", "para",
  "pilipinas.", "hapon.", "italya.", "kung", "comune", "rin", "niya", "din", "bayan", "timog",
  "taon", "lungsod", "of", "upang", "naging", "kanilang", "nito", "hanggang", "dahil", "isa",
  "unang", "korea.", "the", "nang", "pa", "pang", "lamang", "palabas", "saan", "taong", "san",
  "nasa", "ibang", "telebisyon", "bahagi", "pamamagitan", "itong", "uri", "kay", "estados",
  "dalawang", "mas", "siyang", "naman", "ayon", "tao", "pilipinas", "iba", "de", "and", "sila",
  "kasama", "ilang", "populasyon", "loob", "panahon", "lahat", "karakter", "planetang",
  "matatagpuan", "kathang-isip", "ngunit", "pangunahin.", "nahahati", "(ingles:",
  "kalendaryong", "ginagamit", "comics.", "kilala", "tinatawag", "maraming", "barangay.",
  "gregorian.", "maging", "walang", "niyang", "pangunahing", "katulad", "araw", "buong",
  "senso", "kilalang", "wikang", "kasalukuyang", "kaniyang", "kabahayan.", "klaseng", "nila",
  "tulad", "pangalan", "dating", "bansa", "mang-aawit", "habang", "salitang", "katao",
  "maaaring", "unidos.", "in", "nito.", "ito.", "sining", "no", "bago", "anak", "ilalim",
  "tatlong", "politiko", "itinatag", "bagong", "dito", "kalendaryo.",
}

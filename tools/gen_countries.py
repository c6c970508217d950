#!/usr/bin/env python3
"""Generate lua/lede/lists/countries.lua from Debian's iso-codes package.

    apt-get install -y iso-codes
    python3 tools/gen_countries.py [/usr/share/iso-codes/json/iso_3166-1.json] > lua/lede/lists/countries.lua

The ISO 3166-1 short names are not always what news copy writes ("Korea,
Republic of", "Viet Nam"), so the canonical name is taken from `common_name`
when iso-codes has one, else from the table CANONICAL below, else from `name`.
ISO's short and official names become aliases, together with the hand-made
short forms in EXTRA_ALIASES. Demonyms live in lua/lede/lists/demonyms.lua.

The short names in the languages of LANGUAGES (iso-codes' translations,
/usr/share/locale/<lang>/LC_MESSAGES/iso_3166-1.mo) become aliases too
("Deutschland", "Alemania", "Jerman" for Germany), so that a text in another
language names its countries; left out are those with a comma or brackets
(inverted forms), those shorter than four letters, the one-word names that
are common English words (lua/lede/lists/english.lua), those that are
another country's English name or alias, those the other lists hold
("Tunis", a city; "Swiss", a demonym), and those of NOT_TRANSLATIONS.
"""
import gettext
import json
import os
import re
import sys

# Languages whose country names become aliases (Latin script, detected by
# lede.classify's stopword profiles).
LANGUAGES = ["de", "fr", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs", "sk", "hr", "ro",
             "hu", "tr", "id", "ms", "ca"]

# ISO short name -> the name news copy uses.
CANONICAL = {
    "Russian Federation": "Russia",
    "Viet Nam": "Vietnam",
    "Türkiye": "Turkey",
    "Brunei Darussalam": "Brunei",
    "Holy See (Vatican City State)": "Vatican City",
    "Taiwan, Province of China": "Taiwan",
    "Tanzania, United Republic of": "Tanzania",
    "Venezuela, Bolivarian Republic of": "Venezuela",
    "Congo, The Democratic Republic of the": "Democratic Republic of the Congo",
    "Congo": "Republic of the Congo",
    "Micronesia, Federated States of": "Micronesia",
    "Palestine, State of": "Palestine",
    "Netherlands, Kingdom of the": "Netherlands",
    "Virgin Islands, British": "British Virgin Islands",
    "Virgin Islands, U.S.": "US Virgin Islands",
    "Saint Martin (French part)": "Saint Martin",
    "Sint Maarten (Dutch part)": "Sint Maarten",
    "Falkland Islands (Malvinas)": "Falkland Islands",
    "Cocos (Keeling) Islands": "Cocos Islands",
    "Saint Helena, Ascension and Tristan da Cunha": "Saint Helena",
    "Bonaire, Sint Eustatius and Saba": "Caribbean Netherlands",
    "Macao": "Macau",
    "Czechia": "Czech Republic",
    "Cabo Verde": "Cape Verde",
    "Côte d'Ivoire": "Ivory Coast",
    "Korea, Republic of": "South Korea",
    "Korea, Democratic People's Republic of": "North Korea",
    "Lao People's Democratic Republic": "Laos",
    "Syrian Arab Republic": "Syria",
    "Iran, Islamic Republic of": "Iran",
    "Moldova, Republic of": "Moldova",
    "Bolivia, Plurinational State of": "Bolivia",
}

# Canonical name -> further names and short forms seen in news copy.
EXTRA_ALIASES = {
    "United States": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "United Kingdom": ["UK", "U.K.", "Britain", "Great Britain"],
    "United Arab Emirates": ["UAE", "U.A.E."],
    "Russia": ["Russian Federation"],
    "China": ["PRC", "People's Republic of China", "mainland China"],
    "South Korea": ["ROK", "Republic of Korea"],
    "North Korea": ["DPRK", "D.P.R.K."],
    "Democratic Republic of the Congo": ["DRC", "DR Congo", "D.R. Congo", "Congo-Kinshasa",
                                         "Democratic Republic of Congo", "Congo"],
    "Republic of the Congo": ["Congo-Brazzaville"],
    "Czech Republic": ["Czechia"],
    "Turkey": ["Türkiye", "Turkiye"],
    "Myanmar": ["Burma"],
    "Eswatini": ["Swaziland"],
    "North Macedonia": ["Macedonia"],
    "Timor-Leste": ["East Timor"],
    "Ivory Coast": ["Côte d'Ivoire", "Cote d'Ivoire"],
    "Cape Verde": ["Cabo Verde"],
    "Vatican City": ["Vatican", "Holy See"],
    "Netherlands": ["Holland"],
    "Taiwan": ["Republic of China"],
    "Palestine": ["State of Palestine", "Palestinian territories"],
    "Macau": ["Macao"],
    "Bosnia and Herzegovina": ["Bosnia", "Bosnia-Herzegovina"],
    "Trinidad and Tobago": ["Trinidad"],
    "Saint Kitts and Nevis": ["St Kitts and Nevis"],
    "Saint Lucia": ["St Lucia"],
    "Saint Vincent and the Grenadines": ["St Vincent and the Grenadines"],
    "Vietnam": ["Viet Nam"],
    "Laos": ["Lao PDR"],
    "Brunei": ["Brunei Darussalam"],
}

# Aliases news copy does not use for a place: "Congo" alone mostly means the
# Democratic Republic of the Congo, not ISO's "Congo" (the Republic of the Congo).
NOT_ALIASES = {"Republic of the Congo": {"Congo"}}

# Names of other languages that English copy writes for something else
# ("Columbia" University, "Indie" games).
NOT_TRANSLATIONS = {"Columbia", "Indie"}

# Territories rarely written as such in news, left out to keep false matches low.
SKIP = {"UM", "BV", "HM", "AQ", "TF", "IO", "GS"}


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def english_words():
    """The lower-case words of lua/lede/lists/english.lua."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "lua", "lede", "lists", "english.lua"), encoding="utf-8") as f:
        text = f.read()
    words = set()
    for chunk in re.findall(r'= "([^"]*)"', text):
        words.update(chunk.split())
    return words


def list_strings():
    """Every string of the other hand-made lists (lua/lede/lists/*.lua but
    these two generated ones and english.lua): a country's name in another
    language that is one of them ("Tunis", a city; "Swiss", a demonym) is
    left out."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lua", "lede", "lists")
    out = set()
    for name in sorted(os.listdir(here)):
        if not name.endswith(".lua") or name in ("countries.lua", "english.lua"):
            continue
        with open(os.path.join(here, name), encoding="utf-8") as f:
            for chunk in re.findall(r'"([^"]*)"', f.read()):
                out.update(chunk.split("|"))
    return out


def translations():
    """gettext translations of iso_3166-1 for LANGUAGES (those installed)."""
    out = []
    for lang in LANGUAGES:
        try:
            out.append(gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=[lang]))
        except OSError:
            pass
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/iso-codes/json/iso_3166-1.json"
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)["3166-1"]
    english = english_words()
    others = list_strings()
    langs = translations()
    out = []
    for e in sorted(rows, key=lambda r: r["alpha_2"]):
        if e["alpha_2"] in SKIP:
            continue
        iso_name = e["name"]
        name = e.get("common_name") or CANONICAL.get(iso_name) or iso_name
        aliases = []
        for a in (iso_name, e.get("official_name")):
            if not a or "," in a or "(" in a:
                continue
            if a.startswith("the "):
                a = a[4:]
            if a != name and a not in aliases and a not in NOT_ALIASES.get(name, ()):
                aliases.append(a)
        for a in EXTRA_ALIASES.get(name, []):
            if a != name and a not in aliases:
                aliases.append(a)
        out.append((name, e["alpha_2"], aliases, e))
    # (the other languages' names after the English ones of every country:
    # none of them may be another country's English name or alias, "Congo")
    taken = set()
    for name, _, aliases, _ in out:
        taken.add(name)
        taken.update(aliases)
    for name, _, aliases, e in out:
        for t in langs:
            for src in (e["name"], e.get("common_name")):
                if not src:
                    continue
                a = t.gettext(src)
                if a == src or "," in a or "(" in a or len(a) < 4 or a in taken or a in others \
                        or a in NOT_TRANSLATIONS:
                    continue
                if " " not in a and a.lower() in english:
                    continue
                if a != name and a not in aliases and a not in NOT_ALIASES.get(name, ()):
                    aliases.append(a)
    print("--- Countries and territories (ISO 3166-1), generated by tools/gen_countries.py")
    print("-- from Debian's iso-codes package (LGPL-2.1+, see LICENSE.iso-codes and README.md")
    print("-- in this folder). Do not edit by hand: change the generator and run it again.")
    print("-- @module lede.lists.countries")
    print("return {")
    for name, code, aliases, _ in out:
        al = ", ".join(lua_str(a) for a in aliases)
        print("  { name = %s, type = \"place\", iso = \"%s\", aliases = { %s } }," % (lua_str(name), code, al))
    print("}")


if __name__ == "__main__":
    main()

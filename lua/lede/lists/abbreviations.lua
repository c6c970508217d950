--- Abbreviations whose final period does not end a sentence.
--
-- Titles, months and days as news copy abbreviates them (AP style), US state
-- abbreviations, common Latin and business forms. Matched as written; a user
-- adds more with a list file's `abbreviations` array.
--
-- @module lede.lists.abbreviations

return {
  -- titles and honorifics
  "Mr.", "Mrs.", "Ms.", "Mx.", "Dr.", "Prof.", "Sr.", "Jr.", "St.", "Rev.", "Fr.", "Hon.",
  "Gen.", "Lt.", "Col.", "Maj.", "Capt.", "Cmdr.", "Sgt.", "Cpl.", "Pvt.", "Adm.", "Gov.",
  "Sen.", "Rep.", "Pres.", "Amb.", "Supt.", "Insp.", "Det.", "Atty.", "Messrs.", "Mme.",
  "Mlle.", "Esq.",
  -- months and days
  "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
  "Mon.", "Tue.", "Tues.", "Wed.", "Thu.", "Thur.", "Thurs.", "Fri.", "Sat.", "Sun.",
  -- places and organisations
  "U.S.", "U.K.", "U.N.", "E.U.", "U.S.A.", "D.C.", "N.Y.", "L.A.", "Co.", "Corp.", "Inc.",
  "Ltd.", "Bros.", "Dept.", "Univ.", "Assn.", "Ave.", "Blvd.", "Rd.", "Mt.", "Ft.",
  "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.", "Ind.",
  "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.",
  "Nev.", "Okla.", "Ore.", "Pa.", "Tenn.", "Va.", "Vt.", "Wash.", "Wis.", "Wyo.",
  -- Latin and reference forms
  "e.g.", "i.e.", "vs.", "v.", "cf.", "ca.", "approx.", "No.", "Nos.", "Vol.",
  "pp.", "p.", "ed.", "eds.", "est.", "Fig.",
}

-- The built-in site packs, by module name under lede.rules.sites.
return { "sputnik", "rt", "nytimes", "reuters", "thehill" }

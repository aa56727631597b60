# Lithuanian groups thousands with a (non-breaking) space: "250 000 EUR", as the State
# Commission of the Lithuanian Language recommends and CLDR has it. Django's "250.000"
# reads as a decimal to many. Every other Lithuanian format stays Django's.
THOUSAND_SEPARATOR = "\xa0"

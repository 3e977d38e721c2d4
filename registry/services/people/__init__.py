"""Personal data of the people records are about (PIPL): personal numbers sealed, digested
and matched; the access log of who checked a record and why; holders' access links."""

package knowledge

import "regexp"

// subject matches the names people give the knowledge base's subject: a
// question naming it is about SMP, whatever neighbouring topic it also
// mentions ("should i get smp or a hair transplant", "can a microblading
// artist do smp"), and is never declined as out of scope.
var subject = regexp.MustCompile(`(?i)\b(smp|s\.m\.p|scalp[ -]?micro|micro[ -]?pigment\w*|hair[ -]?tattoo\w*|head[ -]?tattoo\w*|scalp[ -]?tattoo\w*|trichopigment\w*)`)

// mentionsSubject reports whether question names scalp micropigmentation.
func mentionsSubject(question string) bool { return subject.MatchString(question) }

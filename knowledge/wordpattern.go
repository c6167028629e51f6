package knowledge

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// A wordPattern is a regular expression of alternative words and phrases,
// each matched whole: \b(?:a|b|…)\b. Go runs such an alternation of
// hundreds of words at every word of a message, which made the symptom
// patterns a fifth of an answer's time. A wordPattern knows the text each
// alternative must begin with, so it tries only the alternatives whose
// beginning starts a word of the message, and answers a message that holds
// none of them without running the expression at all.
type wordPattern struct {
	all  *regexp.Regexp
	alts []alternative
	// byKey lists the alternatives by the first two bytes of their
	// beginnings (one byte for a beginning of one); open lists those that
	// may begin with anything.
	byKey map[string][]int
	open  []int
}

// An alternative is one of a wordPattern's words or phrases, alone.
type alternative struct {
	re         *regexp.Regexp
	beginnings []string
}

// maxBeginnings bounds the beginnings kept for an alternative: past it, the
// shorter beginnings found so far stand for it.
const maxBeginnings = 64

// maxClassRunes bounds the characters of a class, such as [1-3], that begin
// spells out; a larger class, such as \w, may begin with anything.
const maxClassRunes = 16

// words compiles the alternatives ws, each matched as whole words.
func words(ws ...string) *wordPattern {
	alts := strings.Join(ws, "|")
	p := &wordPattern{all: regexp.MustCompile(`\b(?:` + alts + `)\b`), byKey: map[string][]int{}}
	re, err := syntax.Parse(alts, syntax.Perl)
	if err != nil {
		panic(err)
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpAlternate {
		subs = re.Sub
	}
	for i, sub := range subs {
		a := alternative{re: regexp.MustCompile(`\b(?:` + sub.String() + `)\b`), beginnings: beginnings(sub)}
		p.alts = append(p.alts, a)
		if a.beginnings == nil {
			p.open = append(p.open, i)
			continue
		}
		for _, b := range a.beginnings {
			k := b[:min(2, len(b))]
			if l := p.byKey[k]; len(l) == 0 || l[len(l)-1] != i {
				p.byKey[k] = append(l, i)
			}
		}
	}
	return p
}

// candidates calls try with each alternative that may match q: those with
// a beginning that starts a word of q, and those that may begin with
// anything. It stops when try returns true, and reports whether it did.
func (p *wordPattern) candidates(q string, try func(i int) bool) bool {
	for _, i := range p.open {
		if try(i) {
			return true
		}
	}
	for s := 0; s < len(q); s++ {
		if !isWordByte(q[s]) || s > 0 && isWordByte(q[s-1]) {
			continue
		}
		for n := 1; n <= 2 && s+n <= len(q); n++ {
			for _, i := range p.byKey[q[s:s+n]] {
				if p.alts[i].beginsAt(q[s:]) && try(i) {
					return true
				}
			}
		}
	}
	return false
}

// beginsAt reports whether one of a's beginnings begins s.
func (a alternative) beginsAt(s string) bool {
	for _, b := range a.beginnings {
		if strings.HasPrefix(s, b) {
			return true
		}
	}
	return false
}

// MatchString reports whether q holds one of the pattern's words or
// phrases.
func (p *wordPattern) MatchString(q string) bool {
	return p.candidates(q, func(i int) bool { return p.alts[i].re.MatchString(q) })
}

// matcher returns the expression that finds the pattern's matches in q:
// nil when no alternative can match, the alternative alone when only one
// can, and the whole pattern otherwise.
func (p *wordPattern) matcher(q string) *regexp.Regexp {
	one := -1
	if p.candidates(q, func(i int) bool {
		if one == -1 || one == i {
			one = i
			return false
		}
		return true
	}) {
		return p.all
	}
	if one == -1 {
		return nil
	}
	return p.alts[one].re
}

// FindAllString returns the pattern's matches in q, as regexp's does.
func (p *wordPattern) FindAllString(q string, n int) []string {
	if re := p.matcher(q); re != nil {
		return re.FindAllString(q, n)
	}
	return nil
}

// ReplaceAllString replaces the pattern's matches in q, as regexp's does.
func (p *wordPattern) ReplaceAllString(q, repl string) string {
	if re := p.matcher(q); re != nil {
		return re.ReplaceAllString(q, repl)
	}
	return q
}

// ReplaceAllStringFunc replaces the pattern's matches in q with what repl
// returns for each, as regexp's does.
func (p *wordPattern) ReplaceAllStringFunc(q string, repl func(string) string) string {
	if re := p.matcher(q); re != nil {
		return re.ReplaceAllStringFunc(q, repl)
	}
	return q
}

// beginnings returns texts one of which begins every match of re, each
// starting with a word byte, or nil when a match may begin otherwise.
func beginnings(re *syntax.Regexp) []string {
	bs, _ := begin(re)
	for _, b := range bs {
		if b == "" || !isWordByte(b[0]) {
			return nil
		}
	}
	return bs
}

// begin returns texts one of which begins every match of re, and whether
// they are all of its matches, so that what follows re in a concatenation
// extends them.
func begin(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return []string{""}, false
		}
		return []string{string(re.Rune)}, true
	case syntax.OpCharClass:
		var bs []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(bs) == maxClassRunes {
					return []string{""}, false
				}
				bs = append(bs, string(r))
			}
		}
		return bs, true
	case syntax.OpEmptyMatch, syntax.OpWordBoundary, syntax.OpNoWordBoundary,
		syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText:
		return []string{""}, true
	case syntax.OpCapture:
		return begin(re.Sub[0])
	case syntax.OpQuest, syntax.OpStar, syntax.OpPlus, syntax.OpRepeat:
		bs, whole := begin(re.Sub[0])
		switch {
		case re.Op == syntax.OpQuest:
			return append(bs, ""), whole
		case re.Op == syntax.OpStar || re.Op == syntax.OpRepeat && re.Min == 0:
			return append(bs, ""), false
		}
		return bs, false
	case syntax.OpAlternate:
		var all []string
		whole := true
		for _, sub := range re.Sub {
			bs, w := begin(sub)
			all = append(all, bs...)
			whole = whole && w
		}
		if len(all) > maxBeginnings {
			return []string{""}, false
		}
		return all, whole
	case syntax.OpConcat:
		return beginConcat(re.Sub, []string{""})
	}
	return []string{""}, false
}

// beginConcat returns begin's texts for the concatenation of subs, each
// after one of the texts acc. A part that may be left out, such as x* or
// (x\w*)?, is both entered and passed over.
func beginConcat(subs []*syntax.Regexp, acc []string) ([]string, bool) {
	for k, sub := range subs {
		bs, whole := begin(sub)
		if whole {
			next := product(acc, bs)
			if next == nil {
				return acc, false
			}
			acc = next
			continue
		}
		optional := sub.Op == syntax.OpStar || sub.Op == syntax.OpQuest || sub.Op == syntax.OpRepeat && sub.Min == 0
		if !optional {
			if next := product(acc, bs); next != nil {
				return next, false
			}
			return acc, false
		}
		entered, _ := begin(sub.Sub[0])
		next := product(acc, entered)
		rest, _ := beginConcat(subs[k+1:], acc)
		if next == nil || len(next)+len(rest) > maxBeginnings {
			return acc, false
		}
		return append(next, rest...), false
	}
	return acc, true
}

// product returns every text of acc followed by every text of bs, or nil
// when they are more than maxBeginnings.
func product(acc, bs []string) []string {
	if len(acc)*len(bs) > maxBeginnings {
		return nil
	}
	next := make([]string, 0, len(acc)*len(bs))
	for _, a := range acc {
		for _, b := range bs {
			next = append(next, a+b)
		}
	}
	return next
}

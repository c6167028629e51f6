package knowledge

import (
	"os"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
)

// wordPatterns names every wordPattern that reads messages.
var wordPatterns = map[string]*wordPattern{
	"smpCues": smpCues, "symptoms": symptoms, "skinSymptoms": skinSymptoms, "infectionWords": infectionWords,
	"smpSession": smpSession, "smpContext": smpContext, "hypothetical": hypothetical, "personal": personal,
	"infectionCues": infectionCues, "allergyCues": allergyCues, "beforeSMP": beforeSMP, "general": general,
	"happeningNow": happeningNow, "hadSMP": hadSMP, "goneNow": goneNow, "otherProcedure": otherProcedure,
	"namesScalp": namesScalp, "otherCondition": otherCondition, "otherCause": otherCause, "namesSMP": namesSMP,
	"noSign": noSign, "shaveAndSunMarks": shaveAndSunMarks, "earlyDays": earlyDays, "asksNormal": asksNormal,
	"mildSign": mildSign, "scabbing": scabbing, "fierceItch": fierceItch, "pigmentSpreading": pigmentSpreading,
	"redness": redness, "notTheSubject": notTheSubject, "healingDay": healingDay, "otherWork": otherWork,
	"headTattoo": headTattoo, "otherMeaning": otherMeaning,
}

// TestWordPatternsMatchAsTheirExpression checks that a wordPattern, which
// runs only the alternatives a message may hold, finds what its whole
// expression finds: on the questions of the project's sets as the urgent
// check reads them, and on messages made of each alternative's spellings
// in the middle, at the ends and inside longer words.
func TestWordPatternsMatchAsTheirExpression(t *testing.T) {
	messages := setQuestions(t)
	for name, p := range wordPatterns {
		generated := patternMessages(p)
		if len(generated) == 0 {
			t.Errorf("%s: no message made from its alternatives", name)
		}
		for _, q := range slices.Concat(messages, generated) {
			if got, want := p.MatchString(q), p.all.MatchString(q); got != want {
				t.Errorf("%s.MatchString(%q) = %v, the expression says %v", name, q, got, want)
			}
			if got, want := p.FindAllString(q, -1), p.all.FindAllString(q, -1); !slices.Equal(got, want) {
				t.Errorf("%s.FindAllString(%q) = %q, the expression finds %q", name, q, got, want)
			}
			if got, want := p.ReplaceAllString(q, "_"), p.all.ReplaceAllString(q, "_"); got != want {
				t.Errorf("%s.ReplaceAllString(%q) = %q, the expression gives %q", name, q, got, want)
			}
		}
	}
}

// setQuestions returns the questions of the evaluation, development and
// urgent tuning sets, lower-cased with plain quotes as symptomText reads
// them.
func setQuestions(t *testing.T) []string {
	t.Helper()
	var qs []string
	for _, name := range []string{"guide/eval.jsonl", "guide/dev.jsonl", "testdata/urgent-tune.jsonl"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		cases, err := ReadEvalSet(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, c := range cases {
			qs = append(qs, strings.ToLower(quotes.Replace(c.Question)))
		}
	}
	if len(qs) < 900 {
		t.Fatalf("found %d questions; the sets are missing", len(qs))
	}
	return qs
}

// patternMessages makes messages from p's alternatives: four spellings of
// each inside a sentence beside the next
// alternative's, run on into a longer word, and after a word they are glued
// to.
func patternMessages(p *wordPattern) []string {
	var spellings []string
	for _, a := range p.alts {
		re, err := syntax.Parse(a.re.String(), syntax.Perl)
		if err != nil {
			panic(err)
		}
		for k := range 4 {
			spellings = append(spellings, spell(re, k))
		}
	}
	var out []string
	for i, s := range spellings {
		next := spellings[(i+1)%len(spellings)]
		out = append(out, "so my "+s+" is bad, "+next+" too", s+"ing "+next, "x"+s+" and "+s+"!")
	}
	return out
}

// spell returns the k-th of the texts re matches that spell lists: k picks
// the branch of every alternation, the range of every class, and whether
// an optional part is there.
func spell(re *syntax.Regexp, k int) string {
	switch re.Op {
	case syntax.OpLiteral:
		return string(re.Rune)
	case syntax.OpCharClass:
		return string(re.Rune[2*(k%(len(re.Rune)/2))])
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return "x"
	case syntax.OpCapture, syntax.OpPlus:
		return spell(re.Sub[0], k)
	case syntax.OpQuest, syntax.OpStar:
		if k%2 == 0 {
			return ""
		}
		return spell(re.Sub[0], k)
	case syntax.OpRepeat:
		return strings.Repeat(spell(re.Sub[0], k), max(re.Min, k%2))
	case syntax.OpAlternate:
		return spell(re.Sub[k%len(re.Sub)], k)
	case syntax.OpConcat:
		var b strings.Builder
		for _, sub := range re.Sub {
			b.WriteString(spell(sub, k))
		}
		return b.String()
	}
	return ""
}

// TestBeginnings checks the texts beginnings finds for the start of every
// match, and that it gives none where a match may begin anywhere.
func TestBeginnings(t *testing.T) {
	for _, c := range []struct {
		expr string
		want []string
	}{
		{`scabs?`, []string{"scab", "scabs"}},
		{`isn'?t`, []string{"isn't", "isnt"}},
		{`(top|tip) ?-?off`, []string{"tip -off", "tip off", "tip-off", "tipoff", "top -off", "top off", "top-off", "topoff"}},
		{`(a |some )?clear`, []string{"a clear", "some clear", "clear"}},
		{`day [1-3]`, []string{"day 1", "day 2", "day 3"}},
		{`\w+ after`, nil},
		{`(?i)smp`, nil},
		{`(no )?'s`, nil},
	} {
		re, err := syntax.Parse(c.expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got := beginnings(re)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("beginnings(%q) = %q, want %q", c.expr, got, want)
		}
	}
}

package knowledge

import (
	"fmt"
	"regexp/syntax"
	"slices"
	"testing"
)

// TestTriggers checks that every string symptoms, skinSymptoms or
// infectionWords can match
// has a word in triggers, so that mayBeUrgent never turns away a message
// they would match.
func TestTriggers(t *testing.T) {
	for _, alt := range slices.Concat(symptomWords, skinSymptomWords, infectionWordList) {
		spellings, err := expansions(alt)
		if err != nil {
			t.Errorf("expansions(%q): %v", alt, err)
			continue
		}
		for _, s := range spellings {
			if !mayBeUrgent(s) {
				t.Errorf("%q, a spelling of %q, has no word in triggers", s, alt)
			}
		}
	}
}

// expansions lists every string a pattern without repetition matches.
func expansions(pattern string) ([]string, error) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return expand(re)
}

func expand(re *syntax.Regexp) ([]string, error) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, nil
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, fmt.Errorf("cannot list what %s matches", re)
		}
		return []string{string(re.Rune)}, nil
	case syntax.OpCharClass:
		var out []string
		for i := 0; i < len(re.Rune); i += 2 {
			if re.Rune[i+1]-re.Rune[i] > 64 {
				return nil, fmt.Errorf("cannot list what %s matches", re)
			}
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, string(r))
			}
		}
		return out, nil
	case syntax.OpCapture:
		return expand(re.Sub[0])
	case syntax.OpQuest:
		sub, err := expand(re.Sub[0])
		return append([]string{""}, sub...), err
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			sub, err := expand(s)
			if err != nil {
				return nil, err
			}
			out = append(out, sub...)
		}
		return out, nil
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			sub, err := expand(s)
			if err != nil {
				return nil, err
			}
			var next []string
			for _, prefix := range out {
				for _, suffix := range sub {
					next = append(next, prefix+suffix)
				}
			}
			out = next
		}
		return out, nil
	}
	return nil, fmt.Errorf("cannot list what %s matches", re)
}

// TestUrgentLean checks that a message leans towards the entry its signs
// name: pus, fever, heat (Hindi "garam"), a red line, something coming out
// or cellulitis towards infection; itching, or hard lumps that came up
// months on, towards allergy. Signs in the scripts \b cannot read count too.
func TestUrgentLean(t *testing.T) {
	tests := []struct{ question, want string }{
		{"mój chłopak ma gorączkę po SMP", "infection"},
		{"SMP'den sonra başım kaşınıyor, kaşıntı çok ve yüzüm şişti", "allergy"},
		{"بعد SMP راسي يحك وعندي حساسية", "allergy"},
		{"عندي صديد بعد SMP", "infection"},
		{"a red line running from my temple towards my ear since my smp", "infection"},
		{"press the crown and some gunk comes out, day 4 after smp", "infection"},
		{"hard nodules like peas under a few dots, smp was two years ago", "allergy"},
		{"smp ke baad scalp bahut garam hai aur sujan hai", "infection"},
		{"the nurse says it looks like cellulitis after my smp", "infection"},
	}
	for _, tt := range tests {
		if got := urgentLean(tt.question); got != tt.want {
			t.Errorf("urgentLean(%q) = %q, want %q", tt.question, got, tt.want)
		}
	}
}

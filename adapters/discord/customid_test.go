package discord

import (
	"strings"
	"testing"
)

func TestParseCustomID(t *testing.T) {
	tests := []struct {
		customID    string
		values      []string
		wantAct     action
		wantEntry   string
		wantHelpful bool
	}{
		{showID("pigment-depth"), nil, actionShow, "pigment-depth", false},
		{fullID("pigment-depth", false), nil, actionFull, "pigment-depth", false},
		{fullID("pigment-depth", true), nil, actionFullUrgent, "pigment-depth", false},
		{"full:", nil, actionUnknown, "", false},
		{"full:../x", nil, actionUnknown, "", false},
		{"full-urgent:pigment-depth:yes", nil, actionUnknown, "", false},
		{"full-later:pigment-depth", nil, actionUnknown, "", false},
		{feedbackID("pigment-depth", true), nil, actionFeedback, "pigment-depth", true},
		{feedbackID("pigment-depth", false), nil, actionFeedback, "pigment-depth", false},
		{pickID(2), []string{"what-is-smp"}, actionShow, "what-is-smp", false},
		{topicsID, nil, actionTopics, "", false},
		{pickID(0), nil, actionUnknown, "", false},
		{pickID(0), []string{"a", "b"}, actionUnknown, "", false},
		{pickID(0), []string{"Bad Id"}, actionUnknown, "", false},
		{"show:", nil, actionUnknown, "", false},
		{"show:UPPER", nil, actionUnknown, "", false},
		{"show:a/b", nil, actionUnknown, "", false},
		{"show:" + strings.Repeat("a", 65), nil, actionUnknown, "", false},
		{"feedback:pigment-depth", nil, actionUnknown, "", false},
		{"feedback:pigment-depth:yes:extra", nil, actionUnknown, "", false},
		{"feedback::yes", nil, actionUnknown, "", false},
		{"", nil, actionUnknown, "", false},
		{"\x00", nil, actionUnknown, "", false},
	}
	for _, tt := range tests {
		act, entry, helpful := parseCustomID(tt.customID, tt.values)
		if act != tt.wantAct || entry != tt.wantEntry || helpful != tt.wantHelpful {
			t.Errorf("parseCustomID(%q, %q) = %v, %q, %v; want %v, %q, %v", tt.customID, tt.values, act, entry, helpful, tt.wantAct, tt.wantEntry, tt.wantHelpful)
		}
	}
	for _, id := range []string{feedbackID(strings.Repeat("a", 64), false), fullID(strings.Repeat("a", 64), true)} {
		if len(id) > 100 {
			t.Errorf("custom id %q for a 64-character entry id is %d characters, over Discord's 100", id, len(id))
		}
	}
}

func TestParseKBID(t *testing.T) {
	ref := gapRef("how long does smp last")
	tests := []struct {
		customID string
		values   []string
		want     kbRef
	}{
		{addModalID, nil, kbRef{act: kbAdd}},
		{editModalID("pigment-depth", 12), nil, kbRef{act: kbEdit, id: "pigment-depth", rev: 12}},
		{synonymsModalID(0), nil, kbRef{act: kbSynonyms}},
		{gapsMenuID, []string{ref}, kbRef{act: kbPickGap, gap: ref}},
		{gapMenuID(ref, 2), []string{"what-is-smp"}, kbRef{act: kbAnswerGap, gap: ref, id: "what-is-smp"}},
		{"kb:edit:pigment-depth:0", nil, kbRef{}},
		{"kb:edit:pigment-depth:+3", nil, kbRef{}},
		{"kb:edit:../x:3", nil, kbRef{}},
		{"kb:edit:pigment-depth", nil, kbRef{}},
		{"kb:syn:-1", nil, kbRef{}},
		{"kb:syn:99999999999999999999", nil, kbRef{}},
		{gapsMenuID, []string{"ZZZZ"}, kbRef{}},
		{gapsMenuID, nil, kbRef{}},
		{gapMenuID(ref, 0), []string{"../etc"}, kbRef{}},
		{gapMenuID("short", 0), []string{"what-is-smp"}, kbRef{}},
		{"kb:rm:pigment-depth", nil, kbRef{}},
	}
	for _, tt := range tests {
		if got := parseKBID(tt.customID, tt.values); got != tt.want {
			t.Errorf("parseKBID(%q, %q) = %+v, want %+v", tt.customID, tt.values, got, tt.want)
		}
	}
}

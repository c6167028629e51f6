package knowledge

import "testing"

func TestWithoutSignOff(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"How many appointments does it take? - Ron", "How many appointments does it take?"},
		{"Should I have a transplant first? Cheers, Steve", "Should I have a transplant first?"},
		{"What are the risks? Thank you, Pauline", "What are the risks?"},
		{"Is that even allowed?? - Julie (daughter)", "Is that even allowed??"},
		{"Is it normal or something the tech did wrong? Keith", "Is it normal or something the tech did wrong? Keith"},
		// No name, or a name that is the question's subject, stays.
		{"thanks for the help", "thanks for the help"},
		{"can a tattoo artist do it - Yes or no?", "can a tattoo artist do it - Yes or no?"},
		{"- Ron", "- Ron"},
	} {
		if got := withoutSignOff(tc.in); got != tc.want {
			t.Errorf("withoutSignOff(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

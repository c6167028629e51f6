package knowledge

import "testing"

func TestMessageBody(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"How many appointments does it take? - Ron", "How many appointments does it take?"},
		{"Should I have a transplant first? Cheers, Steve", "Should I have a transplant first?"},
		{"What are the risks? Thank you, Pauline", "What are the risks?"},
		{"Is that even allowed?? - Julie (daughter)", "Is that even allowed??"},
		{"Is it a tattoo of the hairs? Thank you very much, Piotr", "Is it a tattoo of the hairs?"},
		{"Subject: general enquiry\n\nHi, does it hurt? Warm regards, Dean", "Hi, does it hurt?"},
		{"RE: your enquiry\nhow long does it last", "how long does it last"},
		// A subject line alone is the question.
		{"Subject: does smp hurt", "Subject: does smp hurt"},
		// A name signed alone after the last sentence goes, its stop
		// stays.
		{"Is it normal or something the tech did wrong? Keith", "Is it normal or something the tech did wrong?"},
		{"How many appointments will I need? Ted Brown", "How many appointments will I need?"},
		// A bare name without a stop before it cannot be told from the
		// question's last word, a lower-case thanks is chat, and a dash
		// before a question is part of it: each stays.
		{"is it normal or did the tech do it wrong Keith", "is it normal or did the tech do it wrong Keith"},
		{"thanks for the help", "thanks for the help"},
		{"can a tattoo artist do it - Yes or no?", "can a tattoo artist do it - Yes or no?"},
		{"- Ron", "- Ron"},
		// An emoji code is no word of the question; a time is.
		{"gm everyone :sunny:", "gm everyone  "},
		{"depth question :eyes: how deep", "depth question   how deep"},
		{"booked for 10:30:00", "booked for 10:30:00"},
		// A "wait" of surprise is no word of the question; a wait asked
		// about is.
		{"wait whats smp", "whats smp"},
		{"Hang on, so how deep does it go", "so how deep does it go"},
		{"wait time between sessions?", "wait time between sessions?"},
	} {
		if got := messageBody(tc.in); got != tc.want {
			t.Errorf("messageBody(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

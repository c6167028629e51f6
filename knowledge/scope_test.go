package knowledge

import "testing"

func TestSearchText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// SMP named only to rule it out, or meaning a game server or
		// symmetric multiprocessing, is not searched for.
		{"razor bumps on my head, I don't have SMP", "razor bumps on my head, i don't have "},
		{"not doing smp yet, first trying minox", "not doing  yet, first trying minox"},
		{"why am i banned from the smp", "why am i banned from the "},
		{"is the Lifesteal SMP back up", "is the lifesteal  back up"},
		{"smp season 3 when", " season 3 when"},
		{"do i have to enable smp in the bios", "do i have to enable  in the bios"},
		// A message spelling out another meaning has no SMP in it at all.
		{"SMP vs AMP? I mix up symmetric multiprocessing and the other one", " vs amp? i mix up symmetric multiprocessing and the other one"},
		{"do I get SMP, statutory maternity pay, after 8 months in the job", "do i get , statutory maternity pay, after 8 months in the job"},
		{"SMP stock price today?", " stock price today?"},
		{"our club needs an SMP (social media policy), any template?", "our club needs an  (social media policy), any template?"},
		{"how much is s m p like statutory maternity pay", "how much is  like statutory maternity pay"},
		// SMP itself stays, and so does the rest of the message.
		{"my smp is fading, is that normal", "my smp is fading, is that normal"},
		{"can I go back to the gym after smp? Cheers, Steve", "can I go back to the gym after smp?"},
		{"I don't have much hair left, would smp suit me", "I don't have much hair left, would smp suit me"},
	} {
		if got := searchText(tc.in); got != tc.want {
			t.Errorf("searchText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

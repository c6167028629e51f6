package spell_test

import (
	"testing"

	"github.com/smpbot/bot/index/spell"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"pigment", "pigment", 2, 0},
		{"pigmnet", "pigment", 2, 1},     // two neighbours swapped: one edit
		{"infeciton", "infection", 2, 1}, // the same, mid-word
		{"fadng", "fading", 2, 1},        // a letter left out
		{"fadingg", "fading", 2, 1},      // one too many
		{"fodung", "fading", 2, 2},       // two replaced
		{"BOT_DATADIR", "BOT_DATA_DIR", 2, 1},
		{"blurry", "scarring", 2, 3}, // past the limit: limit + 1
		{"é", "e", 2, 1},             // letters, not bytes
		{"", "dots", 5, 4},
		{"dots", "", 5, 4},
	}
	for _, tt := range tests {
		if got := spell.Distance([]rune(tt.a), []rune(tt.b), tt.limit, nil); got != tt.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
	// Working rows passed in are used whatever they held.
	rows := []int{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}
	if got := spell.Distance([]rune("dost"), []rune("dots"), 2, rows); got != 1 {
		t.Errorf("Distance(%q, %q) with used rows = %d, want 1", "dost", "dots", got)
	}
}

package console

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/smpbot/bot/index/indextest"
	"github.com/smpbot/bot/knowledge"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestRenderGolden(t *testing.T) {
	svc := indextest.Guide(t)
	tests := []struct{ name, question string }{
		{"answer", "why are my dots blurry"},
		{"checklist", "how do i check a clinic"},
		{"urgent", "there's pus coming out of my dots and i have a fever"},
		{"not-covered", "how deep is the mariana trench"},
		{"truncated", "how deep should the pigment go " + strings.Repeat("really ", 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := svc.Answer(context.Background(), tt.question)
			if err != nil {
				t.Fatal(err)
			}
			got := Render(a)
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("Render(Answer(%q)) =\n%s\nwant (%s, rerun with -update to accept):\n%s", tt.question, got, path, want)
			}
		})
	}
}

func TestChat(t *testing.T) {
	svc := indextest.Guide(t)
	t.Run("interactive", func(t *testing.T) {
		var out strings.Builder
		in := strings.NewReader("what is smp\n\nquit\nwhy are my dots blurry\n")
		if err := Chat(context.Background(), svc, in, &out, true); err != nil {
			t.Fatal(err)
		}
		got := out.String()
		if !strings.HasPrefix(got, Greeting) {
			t.Errorf("chat did not open with the greeting:\n%s", got)
		}
		if n := strings.Count(got, knowledge.Disclaimer); n != 2 { // greeting + one answer
			t.Errorf("chat printed the disclaimer %d times, want 2 (one answer, then quit):\n%s", n, got)
		}
		if strings.Contains(got, "Why SMP dots") {
			t.Errorf("chat answered after quit:\n%s", got)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out strings.Builder
		if err := Chat(ctx, svc, strings.NewReader("what is smp\n"), &out, false); err != nil {
			t.Fatalf("Chat on a cancelled context = %v, want nil", err)
		}
	})
}

func TestReadLines(t *testing.T) {
	huge := strings.Repeat("a", 3*maxLineBytes)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"lines", "one\ntwo\n", []string{"one", "two"}},
		{"no final newline", "one\ntwo", []string{"one", "two"}},
		{"windows line endings", "one\r\ntwo\r\n", []string{"one", "two"}},
		{"empty lines kept", "one\n\ntwo\n", []string{"one", "", "two"}},
		{"huge line cut, next line read", huge + "\nwhat is smp\n", []string{huge[:maxLineBytes], "what is smp"}},
		{"nothing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ReadLines(strings.NewReader(tt.in), func(line string) error {
				got = append(got, line)
				return nil
			})
			if err != nil {
				t.Fatalf("ReadLines: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("ReadLines(%.40q…) read %d lines %.60q, want %d lines %.60q", tt.in, len(got), got, len(tt.want), tt.want)
			}
		})
	}
}

package markdown

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGuideGolden renders two entries of the default knowledge base, with
// paragraphs, lists and links, in every format, as the web console shows
// and previews them.
func TestGuideGolden(t *testing.T) {
	base, err := knowledge.Load(guide.FS())
	if err != nil {
		t.Fatal(err)
	}
	formats := map[string]string{"HTML": "html", "Telegram": "telegram", "Discord": "discord", "Plain": "txt"}
	for _, id := range []string{"blurry-dots", "checklist-training"} {
		e, ok := base.Entry(id)
		if !ok {
			t.Fatalf("the guide has no entry %q", id)
		}
		d := Parse(e.Body)
		for name, ext := range formats {
			t.Run(id+"."+ext, func(t *testing.T) {
				got := renderers[name](d)
				path := filepath.Join("testdata", id+"."+ext+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("Parse(%s).%s() differs from %s (run go test -update after checking):\ngot:\n%s\nwant:\n%s", id, name, path, got, want)
				}
			})
		}
	}
}

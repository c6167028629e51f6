package index_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/smpbot/bot/index"
	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

func TestZZProbe(t *testing.T) {
	base, err := knowledge.Load(guide.FS())
	if err != nil {
		t.Fatal(err)
	}
	idx, err := index.Build(base)
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := guide.Calibration()
	svc := knowledge.NewService(base, idx, cal, nil)
	for _, q := range []string{"how deep", "how deep*?", "how deep is it", "title:foo", "pigment:depth", "pigment depth", "pigmnet", "pigmnet depth", "pigmetn", "how do i check a clinic", "can a tattoo artist do smp", "How deep is the Mariana Trench?", "there's pus coming out of my dots", "+must -not", "why are my dots blurry", "how deep should the pigment go", "hives all over my scalp since my session"} {
		hits, err := idx.Search(context.Background(), q, 3)
		a, _ := svc.Answer(context.Background(), q)
		var cl []string
		for _, e := range a.Checklist {
			cl = append(cl, e.ID)
		}
		fmt.Printf("%q err=%v hits=%v answered=%v urgent=%v cl=%v\n", q, err, hits, a.Answered, a.Urgent, cl)
	}
}

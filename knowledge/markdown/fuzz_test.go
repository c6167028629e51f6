package markdown

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/smpbot/bot/knowledge"
	"github.com/smpbot/bot/knowledge/guide"
)

// guideBodies are the bodies of the default knowledge base's entries.
func guideBodies(tb testing.TB) []string {
	tb.Helper()
	base, err := knowledge.Load(guide.FS())
	if err != nil {
		tb.Fatal(err)
	}
	var bodies []string
	for _, e := range base.Entries() {
		bodies = append(bodies, e.Body)
	}
	return bodies
}

// htmlTags are the elements HTML may write, with the attributes each may
// have; void elements have no end tag.
var (
	htmlTags = map[string][]string{"p": nil, "h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil,
		"ul": nil, "ol": {"start"}, "li": nil, "blockquote": nil, "pre": nil, "code": nil, "hr": nil, "br": nil,
		"em": nil, "strong": nil, "a": {"href", "rel"}}
	voidTags = map[string]bool{"hr": true, "br": true}
)

// FuzzHTML renders arbitrary Markdown as HTML for the web console: the
// result must be well-formed, with only the elements and attributes HTML
// promises, links only to addresses SafeURL allows, and no comment, script
// or raw markup from the source.
//
//	go test -run='^$' -fuzz='^FuzzHTML$' -fuzztime=30s ./knowledge/markdown
func FuzzHTML(f *testing.F) {
	for _, b := range guideBodies(f) {
		f.Add(b)
	}
	f.Add("<script>alert(1)</script>\n\n<!-- c -->\n\n[x](javascript:alert(1)) <a href=\"x\">y</a> ![i](https://e.org/i.png \"t\")")
	f.Fuzz(func(t *testing.T, md string) {
		out := Parse(md).HTML()
		if err := checkHTML(out); err != "" {
			t.Fatalf("Parse(%q).HTML() = %q: %s", md, out, err)
		}
	})
}

// checkHTML returns what is wrong with out as HTML's output, or "".
func checkHTML(out string) string {
	var stack []string
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(stack) > 0 {
				return "unclosed <" + stack[len(stack)-1] + ">"
			}
			return ""
		case html.StartTagToken:
			tok := z.Token()
			allowed, ok := htmlTags[tok.Data]
			if !ok {
				return "element <" + tok.Data + ">"
			}
			for _, a := range tok.Attr {
				switch {
				case !strings.Contains(" "+strings.Join(allowed, " ")+" ", " "+a.Key+" "):
					return "attribute " + a.Key + " on <" + tok.Data + ">"
				case a.Key == "href" && !SafeURL(a.Val):
					return "link to " + a.Val
				}
			}
			if !voidTags[tok.Data] {
				stack = append(stack, tok.Data)
			}
		case html.EndTagToken:
			tok := z.Token()
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				return "</" + tok.Data + "> closes nothing open"
			}
			stack = stack[:len(stack)-1]
		case html.SelfClosingTagToken, html.CommentToken, html.DoctypeToken:
			return "markup " + z.Token().String()
		}
	}
}

func TestCheckHTML(t *testing.T) {
	// The checker itself must catch what it is there to catch.
	for _, bad := range []string{"<script>x</script>", `<a href="javascript:x">x</a>`, "<p>", "</p>", `<p onclick="x">`, "<!-- x -->", "<img src=x>"} {
		if checkHTML(bad) == "" {
			t.Errorf("checkHTML(%q) found nothing wrong", bad)
		}
	}
	for _, b := range guideBodies(t) {
		if err := checkHTML(Parse(b).HTML()); err != "" {
			t.Errorf("guide entry %.40q: %s", b, err)
		}
	}
}

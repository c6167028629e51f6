package markdown

import (
	"strings"
	"testing"

	"github.com/smpbot/bot/knowledge"
)

// render names one renderer, for tables that try several.
var renderers = map[string]func(*Doc) string{
	"HTML": (*Doc).HTML, "Telegram": (*Doc).Telegram, "Discord": (*Doc).Discord, "Plain": (*Doc).Plain,
}

func TestTelegram(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"paragraph lines joined", "one\ntwo  \nthree", "one two\nthree"},
		{"entities resolved", `&amp; &copy; &#65; \&amp; AT&T`, "&amp; © A &amp;amp; AT&amp;T"},
		{"underscores", "__bold__ and _italic_ and snake_case", "<b>bold</b> and <i>italic</i> and snake_case"},
		{"no strikethrough", "~~kept~~ 2~3 weeks, ~4", "~~kept~~ 2~3 weeks, ~4"},
		{"no code in a link", "[see `x`](https://example.org)", `<a href="https://example.org">see x</a>`},
		{"code in bold", "**use `x`**", "<b>use <code>x</code></b>"},
		{"empty link text shows the target", "[](https://example.org)", `<a href="https://example.org">https://example.org</a>`},
		{"autolinks", "<https://example.org/a_b> <me@example.org>", `<a href="https://example.org/a_b">https://example.org/a_b</a> <a href="mailto:me@example.org">me@example.org</a>`},
		{"image as a link", "![chart](https://example.org/c.png) ![x](javascript:1)", `<a href="https://example.org/c.png">chart</a> x`},
		{"raw HTML as text", "<b>not bold</b>\n\n<div>\nblock\n</div>", "&lt;b&gt;not bold&lt;/b&gt;\n\n&lt;div&gt;\nblock\n&lt;/div&gt;"},
		{"code block", "```\na < b\n\nc\n```", "<pre>a &lt; b\n\nc</pre>"},
		{"quotes do not nest", "> outer\n>\n> > inner", "<blockquote>outer\n\ninner</blockquote>"},
		{"loose list", "- one\n\n  more\n- two", "• one\n\n  more\n\n• two"},
		{"ordered from 3 with )", "3) a\n4) b", "3) a\n4) b"},
		{"deep nesting", "- a\n  - b\n    - c", "• a\n    ◦ b\n        ◦ c"},
		{"rule", "a\n\n---\n\nb", "a\n\n———\n\nb"},
		{"empty", "", ""},
		{"NUL", "a\x00b", "a\ufffdb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.md).Telegram(); got != tt.want {
				t.Errorf("Parse(%q).Telegram() = %q, want %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestHTML(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"paragraphs", "one\ntwo\n\nthree  \nfour", "<p>one\ntwo</p>\n<p>three<br>\nfour</p>\n"},
		{"emphasis and code", "**b** *i* ~~s~~ `<x>`", "<p><strong>b</strong> <em>i</em> ~~s~~ <code>&lt;x&gt;</code></p>\n"},
		{"heading", "## Sub *title*", "<h2>Sub <em>title</em></h2>\n"},
		{"raw HTML is text", `<script>alert("x")</script> <img src=x onerror=alert(1)>`,
			"<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n"},
		{"HTML block is text", "<div onclick=\"x()\">\nhi\n</div>", "<p>&lt;div onclick=&quot;x()&quot;&gt;\nhi\n&lt;/div&gt;</p>\n"},
		{"safe link", `[a](https://example.org/a?b=1&c="2" "title")`,
			`<p><a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" rel="nofollow noopener noreferrer">a</a></p>` + "\n"},
		{"unsafe links are text", "[js](javascript:alert(1)) [rel](/x) [data](data:text/html,x) <javascript:alert(1)>",
			"<p>js rel data javascript:alert(1)</p>\n"},
		{"mailto", "[write](mailto:me@example.org)", `<p><a href="mailto:me@example.org" rel="nofollow noopener noreferrer">write</a></p>` + "\n"},
		{"image is a link", "![a <chart>](https://example.org/c.png)", `<p><a href="https://example.org/c.png" rel="nofollow noopener noreferrer">a &lt;chart&gt;</a></p>` + "\n"},
		{"tight list", "- a\n- b\n  - c", "<ul>\n<li>a</li>\n<li>b\n<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n"},
		{"loose ordered list", "2. a\n\n3. b", "<ol start=\"2\">\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ol>\n"},
		{"quote, code, rule", "> q\n\n    code <x>\n\n***", "<blockquote>\n<p>q</p>\n</blockquote>\n<pre><code>code &lt;x&gt;\n</code></pre>\n<hr>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.md).HTML(); got != tt.want {
				t.Errorf("Parse(%q).HTML() = %q, want %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestDiscord(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"heading", "# Title\n\nText", "**Title**\n\nText"},
		{"lines joined", "one line\nwraps here", "one line wraps here"},
		{"lists keep the source's gaps", "intro:\n- a\n- b\n1. c", "intro:\n- a\n- b\n1. c"},
		{"item continued", "- item\n  continued", "- item continued"},
		{"nested", "- a\n  - b", "- a\n   - b"},
		{"formatting kept", "**bold** and *it* [l](https://x)", "**bold** and *it* [l](https://x)"},
		{"literal markers escaped", `2 * 3, snake_case, a|b, \*x\*, [x], ~y~`, `2 \* 3, snake\_case, a\|b, \*x\*, \[x\], \~y\~`},
		{"line starts escaped", "\\# not a heading\\\n\\- not an item\\\n1\\. not a number", "\\# not a heading\n\\- not an item\n1\\. not a number"},
		{"mentions defused", "<@123> hi", `\<@123> hi`},
		{"bare URLs untouched", "see https://example.org/a_b*c and <https://example.org/x_y>", "see https://example.org/a_b*c and https://example.org/x_y"},
		{"link target parentheses", "[a](https://example.org/(x)) [js](javascript:x)", "[a](https://example.org/%28x%29) js"},
		{"brackets in link text", `[a \[b\] ` + "`[c]`" + `](https://example.org)`, "[a (b) (c)](https://example.org)"},
		{"email", "[write to us](mailto:me@example.org) <me@example.org>", "write to us (me@example.org) me@example.org"},
		{"code", "`a` and ``b`c``", "`a` and `` b`c ``"},
		{"code block with a fence", "~~~\n```\n~~~", "```\n`\u200b``\n```"},
		{"quotes", "> a\n>\n> > b", "> a\n>\n> b"},
		{"raw HTML", "<b>x</b>", `\<b>x\</b>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.md).Discord(); got != tt.want {
				t.Errorf("Parse(%q).Discord() = %q, want %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	tests := []struct{ name, md, want string }{
		{"emphasis goes", "**bold** and *italic* and __strong__", "bold and italic and strong"},
		{"links", "see [AAD](https://www.aad.org/news/tattoo-complications).", "see AAD (https://www.aad.org/news/tattoo-complications)."},
		{"autolinks", "<https://example.org> <me@example.org>", "https://example.org me@example.org"},
		{"unsafe link", "[x](javascript:alert(1))", "x"},
		{"unpaired markers", "2 * 3 = 6", "2 * 3 = 6"},
		{"escapes and entities", `\*not italic\* &amp; &lt;`, "*not italic* & <"},
		{"lists", "Intro:\n\n- a\n  - b\n\n1. c", "Intro:\n\n- a\n  - b\n\n1. c"},
		{"heading", "## Where\n\ntext", "Where\n\ntext"},
		{"code", "`x` and\n\n```\nline 1\nline 2\n```", "x and\n\n    line 1\n    line 2"},
		{"quote", "> a\n>\n> b", "> a\n>\n> b"},
		{"raw HTML kept", "<b>x</b>", "<b>x</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse(tt.md).Plain(); got != tt.want {
				t.Errorf("Parse(%q).Plain() = %q, want %q", tt.md, got, tt.want)
			}
		})
	}
}

func TestSafeURL(t *testing.T) {
	tests := []struct {
		href string
		want bool
	}{
		{"https://example.org/a?b=1", true},
		{"HTTP://EXAMPLE.ORG", true},
		{"mailto:me@example.org", true},
		{"https:///no-host", false},
		{"/relative", false},
		{"example.org", false},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{"data:text/html,<b>", false},
		{"tg://resolve?domain=x", false},
		{"mailto:", false},
		{"https://example.org/a b", false},
		{"https://example.org/\nx", false},
		{"https://example.org/" + strings.Repeat("a", maxURLLen), false},
	}
	for _, tt := range tests {
		if got := SafeURL(tt.href); got != tt.want {
			t.Errorf("SafeURL(%q) = %v, want %v", tt.href, got, tt.want)
		}
	}
}

// Every renderer takes any text: the same parse gives each its output,
// and none loses the words.
func TestRenderersAgree(t *testing.T) {
	md := "# Aftercare\n\nKeep it **dry** for *three* days; see [the AAD](https://www.aad.org/).\n\n- no swimming\n- no gym\n\n> Ask your doctor."
	d := Parse(md)
	for name, render := range renderers {
		got := render(d)
		for _, word := range []string{"Aftercare", "dry", "three", "the AAD", "swimming", "gym", "Ask your doctor."} {
			if !strings.Contains(got, word) {
				t.Errorf("Parse(%q).%s() = %q, which lacks %q", md, name, got, word)
			}
		}
	}
}

// Deep nesting costs output in proportion to the input, not to its
// square: past maxNesting levels a list or quote shows its text on one line.
func TestNestingBounded(t *testing.T) {
	const size = knowledge.MaxEntryBytes / 4 // enough to show a square
	inputs := []string{
		strings.Repeat("> - ", size/4) + "end",
		strings.Repeat(">", size-3) + "end",
		strings.Repeat("- ", size/2-2) + "end",
		strings.Repeat("  ", size/2-8) + "- a\n- end",
		strings.Repeat("> - a\n", size/6) + "end",
	}
	for _, md := range inputs {
		d := Parse(md)
		for name, render := range renderers {
			got := render(d)
			limit := 4*len(md) + 64
			if name == "HTML" { // a tag pair per level, each under 32 bytes
				limit = 32 * len(md)
			}
			if len(got) > limit {
				t.Errorf("Parse(%.20q...).%s() is %d bytes long, over %d", md, name, len(got), limit)
			}
			if !strings.Contains(got, "end") {
				t.Errorf("Parse(%.20q...).%s() lost the text at the end", md, name)
			}
		}
	}
	// Within the limit, nesting shows.
	md := "- 1\n  - 2\n    - 3\n      - 4\n        - 5\n          - 6\n            - 7\n              - 8\n                - 9"
	want := "- 1\n  - 2\n    - 3\n      - 4\n        - 5\n          - 6\n            - 7\n              - 8\n                9"
	if got := Parse(md).Plain(); got != want {
		t.Errorf("Parse(%q).Plain() = %q, want %q", md, got, want)
	}
}

func TestCapNesting(t *testing.T) {
	deep := func(marker string, n int) string { return strings.Repeat(marker, n) }
	tests := []struct{ name, src, want string }{
		{"quotes", deep(">", 33) + "x", deep(">", 32) + `\>x`},
		{"quotes with spaces", deep("> ", 33) + "x", deep("> ", 32) + `\> x`},
		{"bullets", deep("- ", 34) + "x", deep("- ", 32) + `\- - x`},
		{"numbers", deep("1. ", 33) + "x", deep("1. ", 32) + `1\. x`},
		{"mixed, second line", "ok\n" + deep("> * ", 17) + "x\nok", "ok\n" + deep("> * ", 16) + `\> * x` + "\nok"},
		{"at the limit", deep(">", 32) + "x", deep(">", 32) + "x"},
		{"not markers", deep("-", 100) + " " + deep("*x ", 40), deep("-", 100) + " " + deep("*x ", 40)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(capNesting([]byte(tt.src))); got != tt.want {
				t.Errorf("capNesting(%q) = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
	// A line past the limit shows its deeper markers as text.
	md := deep(">", 40) + " deep"
	if got, want := Parse(md).Plain(), "> "+deep(">", 8)+" deep"; !strings.HasSuffix(got, want) {
		t.Errorf("Parse(%q).Plain() = %q, want it to end in %q", md, got, want)
	}
}

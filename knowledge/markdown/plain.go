package markdown

import "strings"

// Plain renders the document as text for a terminal: emphasis markers go,
// links become "text (url)", list items keep a "-" or their number and
// nested lists are indented, quotes start each line with "> " and code
// blocks are indented by four spaces.
func (d *Doc) Plain() string { return d.render(plainFormat()) }

func plainFormat() *format {
	return &format{
		text:     same,
		strong:   same,
		emphasis: same,
		code:     same,
		link: func(label, href string) string {
			if label == href || "mailto:"+label == href {
				return label
			}
			return label + " (" + href + ")"
		},
		heading: same,
		quote:   quoteLines,
		codeBlock: func(s string) string {
			return "    " + strings.ReplaceAll(s, "\n", "\n    ")
		},
		hardBreak: "\n",
		indent:    func(depth int) string { return strings.Repeat("  ", depth) },
		bullet:    func(depth int) string { return strings.Repeat("  ", depth) + "- " },
	}
}

func same(s string) string { return s }

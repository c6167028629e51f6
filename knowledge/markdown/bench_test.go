package markdown

import "testing"

// BenchmarkRender parses every entry of the default knowledge base and
// renders it once for each front end, as a web console preview does.
func BenchmarkRender(b *testing.B) {
	bodies := guideBodies(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, body := range bodies {
			d := Parse(body)
			_, _, _, _ = d.HTML(), d.Telegram(), d.Discord(), d.Plain()
		}
	}
}

// BenchmarkTelegram is what one Telegram answer costs: parse an entry and
// render it in Telegram's HTML.
func BenchmarkTelegram(b *testing.B) {
	bodies := guideBodies(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Parse(bodies[i%len(bodies)]).Telegram()
	}
}

package index

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
)

// analyzerName is the English analysis chain with question filler words
// removed: unicode words, then surfaceFilters and termFilters.
const analyzerName = "en_questions"

// surfaceFilters are the first filters of the analysis chain, which make a
// word its surface form: possessive dropped, lower case. termFilters, after
// them, drop English and filler stop words and stem what is left (Porter).
var (
	surfaceFilters = []any{en.PossessiveName, lowercase.Name}
	termFilters    = []any{en.StopName, "filler_stop", porter.Name}
)

// fillerWords are words people wrap any question in ("how long does it
// take", "what's the best", "is it supposed to"), with contractions typed
// without their apostrophe ("shouldnt"), chat shorthand ("tbh", "wat",
// "shud", "n", "rn"), the greetings and forms of address of writers of other
// languages ("hola", "bhai", "po", "anh", "por favor"), the forms of a letter
// ("dear", "regards"), apologies ("sorry") and the bot's own name. They say nothing about the topic, and left in they tie "how
// long does a broken wrist take to heal" to SMP healing, or count as unknown
// words against a real question.
var fillerWords = []any{
	"abi", "abt", "actually", "advice", "ah", "aint", "akhi", "alaikum", "amigo", "anh", "anyone", "anything",
	"arent", "asking", "b", "b4", "basically", "bc", "bcoz", "bcz", "became", "become", "becoming",
	"best", "bhai", "bhaiya", "bit", "bro", "brother", "brothers", "bruh", "bruv", "btw", "c", "came", "can't", "cant",
	"ciao", "cld", "cn", "come", "comes", "could", "couldnt", "couldve", "coz", "cud", "curious",
	"cuz", "danke", "dear", "def", "defo", "didnt", "dnt", "do", "does", "dose", "doesnt", "done", "dont",
	"dude", "e", "ever", "exactly", "faithfully", "fam", "favor", "fr", "genuinely", "get", "gets",
	"getting", "go", "goes", "going", "gone", "gonna", "got", "gracias", "grazie", "guess",
	"gunna", "guys", "habibi", "hadnt", "haha", "hahaha", "hasnt", "hav", "havent", "hehe", "help",
	"heres", "hermano", "hes", "hey", "heyy", "hi", "hii", "hiya", "hmm", "hola", "honestly",
	"howdy", "hows", "hv", "hw", "id", "idea", "ideas", "idk", "im", "imho", "imo", "inshallah",
	"isnt", "itll", "ive", "ji", "jk", "just", "k", "kind", "know", "kuya", "lads", "like",
	"literally", "lmao", "lmaoo", "lmaooo", "lmfao", "lmk", "lol", "long", "lot", "lowkey", "make", "mano",
	"many", "mashallah", "mate", "matter", "maybe", "merci", "much", "n", "nah", "need", "ngl",
	"nope", "normal", "np", "nutshell", "obrigada", "obrigado", "oh", "ohh", "oi", "ok", "okay",
	"okk", "omg", "one", "please", "pls", "plz", "po", "por", "porfa", "ppl", "pretty", "prob",
	"probably", "probs", "process", "q", "r", "really", "regards", "right", "rlly", "rly", "rn",
	"salaam", "salam", "say", "seriously", "shes", "shld", "shouldnt", "shouldve", "shud",
	"sincerely", "sis", "smpbot", "smth", "so", "someone", "somethin", "something", "somthing", "sorry", "sort", "sry",
	"sth", "still", "stuff", "summat", "sumthing", "sup", "supposed", "take", "takes", "tbf", "tbh", "tell",
	"thanks", "thatll", "thats", "theres", "theyll", "theyre", "theyve", "thing", "things",
	"think", "thru", "thx", "time", "tips", "totally", "turn", "turned", "turning", "turns", "ty",
	"tysm", "u", "uh", "umm", "ur", "us", "wanna", "want", "wasnt", "walaikum", "wassup", "wat", "wats", "watz",
	"way", "well", "wen", "went", "werent", "weve", "what's", "whats", "wheres", "whos", "wht",
	"witam", "wld", "wonder", "wondering", "wont", "wot", "wots", "would", "wouldnt", "wouldve",
	"wtf", "wud", "wut", "xd", "y", "ya", "yaar", "yah", "yall", "yea", "yeah", "yep", "yo",
	"youll", "youre", "youve", "yup",
}

func newMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = "bm25"
	must := func(err error) {
		if err != nil {
			panic(err) // a constant configuration: cannot fail
		}
	}
	must(m.AddCustomTokenMap("filler_words", map[string]any{"type": tokenmap.Name, "tokens": fillerWords}))
	must(m.AddCustomTokenFilter("filler_stop", map[string]any{"type": stop.Name, "stop_token_map": "filler_words"}))
	must(m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": slices.Concat(surfaceFilters, termFilters),
	}))
	must(m.AddSynonymSource(synonymSource, map[string]any{
		"collection": synonymCollection,
		"analyzer":   analyzerName,
	}))
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{fieldQuestion, fieldTags, fieldBody} {
		dm.AddFieldMappingsAt(f, textField())
	}
	m.DefaultMapping = dm
	m.DefaultAnalyzer = analyzerName
	return m
}

// textField is the mapping of every field: analysed, searched with the
// knowledge base's synonyms, and nothing kept but what search needs. No field
// goes into the composite _all field, which no query reads.
func textField() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzerName
	f.SynonymSource = synonymSource
	f.Store = false
	f.IncludeTermVectors = false
	f.DocValues = false
	f.IncludeInAll = false
	return f
}

// separators are characters the tokenizer keeps inside a word ("title:foo",
// "pigment.depth") that people type between words.
var separators = strings.NewReplacer(":", " ", ".", " ", "_", " ")

// accents folds letters to their ASCII look-alikes ("grávida", "infección"),
// as writers of other languages type the words the knowledge base spells
// without them.
var accents = asciifolding.New()

// normalize prepares text for indexing or searching alike: accents are
// folded, separators become spaces and phrases become their words.
func (x *state) normalize(text string) string {
	return x.phrases.Expand(separators.Replace(string(accents.Filter([]byte(text)))))
}

func (x *state) tokens(text string) preAnalysed {
	return preAnalysed(x.analyzer.Analyze([]byte(text)))
}

// analyzeSurface analyses text as tokens does, and returns with the tokens
// the surface form of each one's word: the word as written, in lower case and
// without a possessive, as surfaceFilters leave it.
//
// A token's word is found by its position: the tokenizer numbers the words
// from 1, surfaceFilters keep every word in its place, and termFilters keep
// each token's position while they drop stop words and stem, which gives a
// term a new slice and leaves the surface form as it was.
func (x *state) analyzeSurface(text string) (preAnalysed, [][]byte) {
	filters := x.analyzer.TokenFilters
	tokens := x.analyzer.Tokenizer.Tokenize([]byte(text))
	for _, f := range filters[:len(surfaceFilters)] {
		tokens = f.Filter(tokens)
	}
	surface := make([][]byte, len(tokens))
	for i, tok := range tokens {
		surface[i] = tok.Term
	}
	for _, f := range filters[len(surfaceFilters):] {
		tokens = f.Filter(tokens)
	}
	// Positions only grow, and tokens only go: the i-th token's surface
	// form is at i or after it, and is not yet overwritten.
	for i, tok := range tokens {
		surface[i] = surface[tok.Position-1]
	}
	return preAnalysed(tokens), surface[:len(tokens)]
}

func (x *state) analyze(text string) []string { return x.tokens(text).terms() }

func (x *state) addSynonyms(group []string) {
	var terms []string
	for _, w := range group {
		terms = append(terms, x.analyze(w)...)
	}
	// Words of a group often share a stem ("blur", "blurred", "blurring"),
	// and a term can be in several groups: each synonym is kept once.
	slices.Sort(terms)
	terms = slices.Compact(terms)
	for _, t := range terms {
		for _, u := range terms {
			if t != u && !slices.Contains(x.syn[t], u) {
				x.syn[t] = append(x.syn[t], u)
			}
		}
	}
}

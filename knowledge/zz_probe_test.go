package knowledge

import (
	"fmt"
	"testing"
)

func TestZZProbe(t *testing.T) {
	for _, src := range []string{
		"---\nid: a\ntitle: A\n\tkind: explanation\n---\nbody\n",
		"---\nid: a\ntitle: A\nkind: explanation\ncolour: red\nshade: x\n---\nbody\n",
		"---\nid: a\ntitle: \"A\nkind: explanation\n---\nbody\n",
		"---\nid: a\ntitle: A\nkind: [explanation\n---\nbody\n",
		"---\nid: a\ntitle: A\nkind: explanation\nquestions: foo: bar\n---\nbody\n",
		"---\nid: a\ntitle: A\nkind: explanation\nstep: x\n---\nbody\n",
	} {
		e, ps := ParseEntry("entries/a.md", []byte(src))
		fmt.Printf("%v %q\n", e != nil, ps)
	}
	for _, q := range []string{"what are the signs of infection", "my dog has an ear infection", "there's pus coming out of my dots", "hives all over my scalp since my session", "I think my smp is infected",
		"how long does swelling last after smp", "is smp safe", "can smp cause an allergic reaction", "what does an infected smp look like", "will I get an infection from smp", "my scalp is red and swollen 3 days after smp", "fever and chills after my smp session", "my face is swelling up after smp", "what are the symptoms of an allergic reaction to smp pigment", "how do I know if my smp is infected", "bitcoin price", "my head is hot to the touch and oozing", "yellow crust on my hairline since the treatment", "im allergic to the ink i think, my scalp is itchy and red bumps", "how do I prevent infection after smp", "I’m having a reaction to my smp", "is it normal to have redness after smp", "what is the healing timeline", "my dots are blurry", "is there a risk of allergy with smp pigment", "how do i avoid a rash after smp", "my girlfriend got smp and now her scalp has pus", "my tattoo got infected", "red streaks spreading from my hairline", "can't breathe properly after smp, lips swollen", "should I get a patch test if I have allergies"} {
		fmt.Printf("%v\t%q\n", IsUrgent(q), q)
	}
}

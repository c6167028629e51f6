package telegram

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"

	"github.com/smpbot/bot/knowledge"
)

// This file keeps what moderators are in the middle of: a /kb conversation
// waiting for their next message, and buttons waiting for a tap. Both live
// in memory, per moderator, and lapse after Config.ModerationTimeout.

// maxPending bounds the buttons waiting for one moderator; the oldest go
// first.
const maxPending = 64

// step is what a conversation waits for.
type step int

const (
	stepTitle     step = iota + 1 // a new entry's title
	stepQuestions                 // its alternate questions
	stepBody                      // its body
	stepText                      // a whole entry file: new when base is 0, else an edit
	stepSynonyms                  // the whole synonyms file
)

// conversation is a /kb command waiting for the moderator's next message.
type conversation struct {
	step      step
	base      int64 // the revision the moderator started from
	title     string
	questions []string
	expires   time.Time
}

// pendingKind is what a button does when tapped.
type pendingKind int

const (
	doPut         pendingKind = iota + 1 // save text as entry id, from base
	doRemove                             // remove entry id, at base
	doSynonyms                           // replace the synonyms with text, from base
	doPickEntry                          // offer the entries the gap text could join
	doAddQuestion                        // add text as a question of entry id, at base
	doDismissGap                         // close the gap of question text unanswered
)

// pending is a change a button carries out. The button holds only a random
// token, so its callback data cannot be forged into another change.
type pending struct {
	kind    pendingKind
	id      string
	text    string
	base    int64
	expires time.Time
}

// moderation is the state of the moderators' work. It is safe for
// concurrent use.
type moderation struct {
	kb      *knowledge.Moderation
	mods    map[int64]bool
	timeout time.Duration
	now     func() time.Time

	mu      sync.Mutex
	convs   map[int64]conversation
	pending map[int64]map[string]pending // by moderator, then token
}

// newModeration returns the moderation state for cfg, or nil when
// moderation is off.
func newModeration(cfg Config, now func() time.Time) *moderation {
	if cfg.Moderation == nil {
		return nil
	}
	md := &moderation{
		kb:      cfg.Moderation,
		mods:    map[int64]bool{},
		timeout: cfg.ModerationTimeout,
		now:     now,
		convs:   map[int64]conversation{},
		pending: map[int64]map[string]pending{},
	}
	for _, id := range cfg.Moderators {
		md.mods[id] = true
	}
	return md
}

func (md *moderation) isModerator(user int64) bool { return md.mods[user] }

// inConversation reports whether a moderator's next message belongs to a
// /kb conversation, lapsed or not.
func (md *moderation) inConversation(user int64) bool {
	md.mu.Lock()
	defer md.mu.Unlock()
	_, ok := md.convs[user]
	return ok && md.mods[user]
}

// begin makes c the moderator's conversation, replacing any other.
func (md *moderation) begin(user int64, c conversation) {
	md.mu.Lock()
	defer md.mu.Unlock()
	c.expires = md.now().Add(md.timeout)
	md.convs[user] = c
}

// take ends the moderator's conversation and returns it; ok is false when
// it had lapsed.
func (md *moderation) take(user int64) (c conversation, ok bool) {
	md.mu.Lock()
	defer md.mu.Unlock()
	c, ok = md.convs[user]
	delete(md.convs, user)
	return c, ok && md.now().Before(c.expires)
}

// cancel drops the moderator's conversation and buttons.
func (md *moderation) cancel(user int64) {
	md.mu.Lock()
	defer md.mu.Unlock()
	delete(md.convs, user)
	delete(md.pending, user)
}

// offer keeps p for a button of the moderator's and returns its token.
func (md *moderation) offer(user int64, p pending) string {
	var b [12]byte
	rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	md.mu.Lock()
	defer md.mu.Unlock()
	now := md.now()
	p.expires = now.Add(md.timeout)
	ps := md.pending[user]
	if ps == nil {
		ps = map[string]pending{}
		md.pending[user] = ps
	}
	for t, old := range ps {
		if !now.Before(old.expires) {
			delete(ps, t)
		}
	}
	for len(ps) >= maxPending {
		oldest := ""
		for t, old := range ps {
			if oldest == "" || old.expires.Before(ps[oldest].expires) {
				oldest = t
			}
		}
		delete(ps, oldest)
	}
	ps[tok] = p
	return tok
}

// claim returns and forgets the change behind a moderator's button; ok is
// false for a token that is not theirs, was used or has lapsed.
func (md *moderation) claim(user int64, tok string) (p pending, ok bool) {
	md.mu.Lock()
	defer md.mu.Unlock()
	p, ok = md.pending[user][tok]
	delete(md.pending[user], tok)
	return p, ok && md.now().Before(p.expires)
}

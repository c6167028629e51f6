package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// doneTimeout bounds recording that an update was handled.
const doneTimeout = 5 * time.Second

// botID is the bot's user id, the token's part before the colon: claims and
// leases are named after it, so that bots sharing an engine stay apart.
func (b *Bot) botID() string {
	id, _, _ := strings.Cut(b.cfg.Token, ":")
	return id
}

// claimPrefix begins the names of the claims of the bot's updates.
func (b *Bot) claimPrefix() string { return platform + "." + b.botID() + "." }

// claimKey names the claim of an update.
func (b *Bot) claimKey(updateID int) string { return b.claimPrefix() + strconv.Itoa(updateID) }

// pollLease names the lease of the replica that polls.
func (b *Bot) pollLease() string { return platform + "." + b.botID() + ".poll" }

// take records the update as taken by this replica, with raw, the update as
// received, so that another replica handles it if this one stops first. It
// returns the function to call once it is handled, or false for an update
// taken before: a duplicate, dropped here. When the engine cannot be
// reached the update is handled all the same: a duplicate is then
// possible, a lost answer is not.
func (b *Bot) take(ctx context.Context, updateID int, raw []byte) (done func(), ok bool) {
	key := b.claimKey(updateID)
	took, err := b.claimer.Take(ctx, key, raw)
	if err != nil {
		b.log.WarnContext(ctx, "could not record the update as taken; handling it anyway", "update_id", updateID, "err", err)
		return func() {}, true
	}
	if !took {
		b.log.DebugContext(ctx, "dropped a duplicate update", "update_id", updateID)
		b.cfg.Replica.Metrics.DuplicateDropped(platform)
		return nil, false
	}
	return func() { b.done(ctx, key) }, true
}

// done records that the update claimed as key was handled.
func (b *Bot) done(ctx context.Context, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), doneTimeout)
	defer cancel()
	if err := b.claimer.Done(ctx, key); err != nil {
		b.log.WarnContext(ctx, "could not record an update as handled; another replica may answer it again after this one stops", "claim", key, "err", err)
	}
}

// recovered handles an update taken over from a replica that stopped
// before handling it; handlers run under hctx.
func (b *Bot) recovered(hctx context.Context) func(ctx context.Context, key string, raw []byte) {
	return func(ctx context.Context, key string, raw []byte) {
		var u tgbotapi.Update
		if err := json.Unmarshal(raw, &u); err != nil {
			b.log.WarnContext(ctx, "skipped a malformed update taken over from a stopped replica", "claim", key, "err", err)
			b.done(ctx, key)
			return
		}
		b.log.InfoContext(ctx, "handling an update taken over from a stopped replica", "update_id", u.UpdateID)
		b.accept(hctx, &u, func() { b.done(hctx, key) })
	}
}

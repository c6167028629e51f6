package telegram

import (
	"context"
	"encoding/json"
	"errors"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxBatch is the most updates one getUpdates call returns.
const maxBatch = 100

// incoming is an update as received: its id, and the update, as decoded
// and as received, unless it could not be decoded.
type incoming struct {
	id     int
	update *tgbotapi.Update
	raw    json.RawMessage
}

// poll receives updates by long polling until ctx ends; handlers run under
// hctx. It runs in the one replica that holds the poll lease, starting
// from the offset Telegram has confirmed. Telegram forgets an update once
// getUpdates is called with a higher offset, so the offset moves past
// updates once they are taken (recorded in the claims, so that another
// replica handles them if this one stops first) and accepted (see accept),
// and on the way out the final offset is committed, so that a restart does
// not answer an update twice. Updates still queued when the bot stops get
// drainTimeout to be answered.
func (b *Bot) poll(ctx, hctx context.Context) error {
	b.health.polling(true)
	defer b.health.polling(false)
	err := b.call(ctx, "deleteWebhook", untilDone, func(api *tgbotapi.BotAPI) error {
		_, err := api.Request(tgbotapi.DeleteWebhookConfig{})
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	b.ready.Store(true)
	offset := 0
	uncommitted := false // updates accepted but not yet acknowledged
	for ctx.Err() == nil {
		batch, err := b.getUpdates(ctx, offset)
		if ctx.Err() != nil {
			break
		}
		if err != nil {
			return err
		}
		uncommitted = false
		for _, in := range batch {
			if in.update == nil {
				continue
			}
			if done, ok := b.take(hctx, in.id, in.raw); ok {
				b.accept(hctx, in.update, done)
			}
		}
		if len(batch) > 0 {
			offset = batch[len(batch)-1].id + 1
			uncommitted = true
		}
	}
	if uncommitted {
		b.commit(ctx, offset)
	}
	return nil
}

// getUpdates fetches the next batch of updates. An update that does not
// decode is kept with a nil update, so that the offset can move past it.
func (b *Bot) getUpdates(ctx context.Context, offset int) ([]incoming, error) {
	cfg := tgbotapi.UpdateConfig{
		Offset:         offset,
		Limit:          maxBatch,
		Timeout:        int(b.cfg.PollTimeout.Seconds()),
		AllowedUpdates: allowedUpdates(),
	}
	var batch []incoming
	err := b.call(ctx, "getUpdates", untilDone, func(api *tgbotapi.BotAPI) error {
		resp, err := api.Request(cfg)
		if err != nil {
			return err
		}
		batch, err = b.decodeUpdates(ctx, resp.Result, offset)
		return err
	})
	return batch, err
}

// errNoUpdateIDs is a getUpdates result with updates but no ids in it: the
// offset cannot move, so it is treated as a failed request.
var errNoUpdateIDs = errors.New("getUpdates returned updates without update_id")

func (b *Bot) decodeUpdates(ctx context.Context, result json.RawMessage, offset int) ([]incoming, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(result, &raws); err != nil {
		return nil, err
	}
	var batch []incoming
	for _, raw := range raws {
		var u tgbotapi.Update
		err := json.Unmarshal(raw, &u)
		if err == nil {
			if u.UpdateID >= offset {
				batch = append(batch, incoming{id: u.UpdateID, update: &u, raw: raw})
			}
			continue
		}
		var id struct {
			UpdateID *int `json:"update_id"`
		}
		if json.Unmarshal(raw, &id) != nil || id.UpdateID == nil {
			b.log.WarnContext(ctx, "skipped an update without update_id", "err", err)
			continue
		}
		b.log.WarnContext(ctx, "skipped a malformed update", "update_id", *id.UpdateID, "err", err)
		if *id.UpdateID >= offset {
			batch = append(batch, incoming{id: *id.UpdateID})
		}
	}
	if len(batch) == 0 && len(raws) > 0 {
		return nil, errNoUpdateIDs
	}
	return batch, nil
}

// chatOf is the conversation an update belongs to, whose updates share a
// queue and are handled in order: the chat of a message or of a tapped button's message,
// else the user.
func chatOf(u *tgbotapi.Update) int64 {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return u.CallbackQuery.Message.Chat.ID
	}
	if from := u.SentFrom(); from != nil {
		return from.ID
	}
	return 0
}

// commit acknowledges every update before offset, so that Telegram does not
// send them again. It runs after ctx has ended, within commitTimeout.
func (b *Bot) commit(ctx context.Context, offset int) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	defer cancel()
	_, err := b.api(ctx).Request(tgbotapi.UpdateConfig{Offset: offset, Limit: 1, AllowedUpdates: allowedUpdates()})
	if err != nil {
		b.log.WarnContext(ctx, "could not acknowledge the last updates; they may be answered again after a restart", "offset", offset, "err", err)
	}
}

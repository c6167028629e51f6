// Package guide embeds the default knowledge base: the entries written from the
// guide on bad SMP results and the extended safety pack, the synonyms, the
// tuning sets, and the thresholds and urgent words calibrated on them.
package guide

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sync"

	"github.com/smpbot/bot/knowledge"
)

//go:embed entries/*.md synonyms.txt calibration.json eval.jsonl dev.jsonl community-tune.jsonl community-dev.jsonl community-val.jsonl community-chat-tune.jsonl community-lookalike.jsonl community-implicit.jsonl community-firsttime.jsonl community-forum.jsonl community-reddit.jsonl community-messenger.jsonl community-video-tune.jsonl community-whatsapp-tune.jsonl community-facebook-tune.jsonl community-problems-tune.jsonl community-health-tune.jsonl community-genz-tune.jsonl community-compare-tune.jsonl community-pairs-tune.jsonl community-updates-tune.jsonl community-relay-tune.jsonl community-widget-tune.jsonl community-older-tune.jsonl community-esl-tune.jsonl community-voice-tune.jsonl community-group-tune.jsonl community-terse-tune.jsonl community-veteran-tune.jsonl community-longpost-tune.jsonl community-women-tune.jsonl community-decoys2-tune.jsonl community-myths2-tune.jsonl community-long4-tune.jsonl community-voice3-tune.jsonl community-intl3-tune.jsonl community-phone4-tune.jsonl community-chat4-tune.jsonl community-decoys4-tune.jsonl community-chat5-tune.jsonl community-intl4-tune.jsonl community-older5-tune.jsonl community-tiktok6-tune.jsonl community-whatsapp6-tune.jsonl community-intl5-tune.jsonl community-myths8-tune.jsonl community-story8-tune.jsonl community-intl8-tune.jsonl community-phone8-tune.jsonl community-chat8-tune.jsonl community-decoys8-tune.jsonl community-chat9-tune.jsonl community-decoys9-tune.jsonl community-reddit9-tune.jsonl community-voice9-tune.jsonl community-phone9-tune.jsonl community-intl9-tune.jsonl community-pairs10-tune.jsonl community-decoys10-tune.jsonl community-week10-tune.jsonl community-story10-tune.jsonl community-forum12-tune.jsonl community-esl12-tune.jsonl community-decoys12-tune.jsonl community-urgent12-tune.jsonl community-urgent13-tune.jsonl community-email13-tune.jsonl community-decoys13-tune.jsonl community-terse14-tune.jsonl community-proxy14-tune.jsonl community-compare14-tune.jsonl community-veteran15-tune.jsonl community-night15-tune.jsonl community-mixed15-tune.jsonl community-women16-tune.jsonl community-health16-tune.jsonl community-typo16-tune.jsonl community-regret17-tune.jsonl community-booking17-tune.jsonl community-decoys17-tune.jsonl community-intl17-tune.jsonl community-aussie17-tune.jsonl community-long17-tune.jsonl community-adjacent17-tune.jsonl community-urgent17-tune.jsonl community-fb18-tune.jsonl community-yt18-tune.jsonl community-reddit18-tune.jsonl community-pairs18-tune.jsonl community-skeptic18-tune.jsonl community-decoys18-tune.jsonl community-women18-tune.jsonl community-return18-tune.jsonl community-oneword19-tune.jsonl community-latam19-tune.jsonl community-southasia19-tune.jsonl community-voice19-tune.jsonl community-discord19-tune.jsonl community-decoys19-tune.jsonl community-urgent19-tune.jsonl community-multi19-tune.jsonl community-decoys20-tune.jsonl community-claims20-tune.jsonl community-scar20-tune.jsonl community-beginner20-tune.jsonl community-gym20-tune.jsonl community-followup20-tune.jsonl community-anxious20-tune.jsonl community-euro20-tune.jsonl community-forum21-tune.jsonl community-telegram21-tune.jsonl community-stories21-tune.jsonl community-decoys21-tune.jsonl community-decoys22-tune.jsonl community-compare22-tune.jsonl community-whatsapp22-tune.jsonl community-mixed22-tune.jsonl community-tg24-tune.jsonl community-hl25-tune.jsonl community-fr26-tune.jsonl community-gc26-tune.jsonl community-yt27-tune.jsonl community-ds28-tune.jsonl community-fb28-tune.jsonl community-rd28-tune.jsonl community-al28-tune.jsonl community-dc28-tune.jsonl community-hl28-tune.jsonl community-ds29-tune.jsonl community-fb29-tune.jsonl community-wa29-tune.jsonl community-rd29-tune.jsonl community-ur29-tune.jsonl community-ds30-tune.jsonl community-fb30-tune.jsonl community-bb30-tune.jsonl community-hd30-tune.jsonl community-ur30-tune.jsonl community-tt31-tune.jsonl community-fr31-tune.jsonl community-gp31-tune.jsonl community-pm31-tune.jsonl community-ur32-tune.jsonl community-rd32-tune.jsonl community-nn32-tune.jsonl community-sh32-tune.jsonl community-th32-tune.jsonl community-tg32-tune.jsonl community-ds33-tune.jsonl community-lf33-tune.jsonl community-cp33-tune.jsonl community-yt33-tune.jsonl community-ol33-tune.jsonl community-pr34-tune.jsonl community-vc34-tune.jsonl community-wm34-tune.jsonl community-ht34-tune.jsonl community-st34-tune.jsonl community-mx34-tune.jsonl community-fb35-tune.jsonl community-ds35-tune.jsonl community-ig35-tune.jsonl community-qa35-tune.jsonl community-wa35-tune.jsonl community-rv35-tune.jsonl community-ur36-tune.jsonl community-gm36-tune.jsonl community-es36-tune.jsonl community-af36-tune.jsonl community-mx36-tune.jsonl community-uk37-tune.jsonl community-pt37-tune.jsonl community-lt37-tune.jsonl community-md38-tune.jsonl community-sa38-tune.jsonl community-tr38-tune.jsonl community-yg38-tune.jsonl community-pro38-tune.jsonl community-ar39-tune.jsonl community-ac39-tune.jsonl community-eu39-tune.jsonl community-old39-tune.jsonl community-fm39-tune.jsonl community-sh40-tune.jsonl community-lg40-tune.jsonl community-vt40-tune.jsonl community-bk40-tune.jsonl community-cl40-tune.jsonl community-gr41-tune.jsonl community-sq41-tune.jsonl community-hn41-tune.jsonl community-wm41-tune.jsonl community-la43-tune.jsonl community-md43-tune.jsonl community-st43-tune.jsonl community-af43-tune.jsonl community-ro44-tune.jsonl community-ph44-tune.jsonl community-pa44-tune.jsonl community-ln44-tune.jsonl community-jk46-tune.jsonl community-cn46-tune.jsonl community-sy46-tune.jsonl community-fr46-tune.jsonl
var files embed.FS

// FS returns the default knowledge base as a file system laid out as
// knowledge.Load expects.
func FS() fs.FS { return files }

// CalibrationFile is the name of the confidence thresholds in FS.
const CalibrationFile = "calibration.json"

// EvalFile is the name of the evaluation set in FS.
const EvalFile = "eval.jsonl"

// TuningFiles are the evaluation sets the thresholds are calibrated on:
// the evaluation set, the dev set, the community sets but for the held-out
// halves of the first and the fourth.
// The held-out sets beside them (holdout.jsonl and the community sets named
// *-holdout.jsonl) are never tuned on, so that they measure the bot
// honestly.
var TuningFiles = []string{EvalFile, "dev.jsonl", "community-tune.jsonl", "community-dev.jsonl", "community-val.jsonl", "community-chat-tune.jsonl", "community-lookalike.jsonl", "community-implicit.jsonl", "community-firsttime.jsonl", "community-forum.jsonl", "community-reddit.jsonl", "community-messenger.jsonl", "community-video-tune.jsonl", "community-whatsapp-tune.jsonl", "community-facebook-tune.jsonl", "community-problems-tune.jsonl", "community-health-tune.jsonl", "community-genz-tune.jsonl", "community-compare-tune.jsonl", "community-pairs-tune.jsonl", "community-updates-tune.jsonl", "community-relay-tune.jsonl", "community-widget-tune.jsonl", "community-older-tune.jsonl", "community-esl-tune.jsonl", "community-voice-tune.jsonl", "community-group-tune.jsonl", "community-terse-tune.jsonl", "community-veteran-tune.jsonl", "community-longpost-tune.jsonl", "community-women-tune.jsonl", "community-decoys2-tune.jsonl", "community-myths2-tune.jsonl", "community-long4-tune.jsonl", "community-voice3-tune.jsonl", "community-intl3-tune.jsonl", "community-phone4-tune.jsonl", "community-chat4-tune.jsonl", "community-decoys4-tune.jsonl", "community-chat5-tune.jsonl", "community-intl4-tune.jsonl", "community-older5-tune.jsonl", "community-tiktok6-tune.jsonl", "community-whatsapp6-tune.jsonl", "community-intl5-tune.jsonl", "community-myths8-tune.jsonl", "community-story8-tune.jsonl", "community-intl8-tune.jsonl", "community-phone8-tune.jsonl", "community-chat8-tune.jsonl", "community-decoys8-tune.jsonl", "community-chat9-tune.jsonl", "community-decoys9-tune.jsonl", "community-reddit9-tune.jsonl", "community-voice9-tune.jsonl", "community-phone9-tune.jsonl", "community-intl9-tune.jsonl", "community-pairs10-tune.jsonl", "community-decoys10-tune.jsonl", "community-week10-tune.jsonl", "community-story10-tune.jsonl", "community-forum12-tune.jsonl", "community-esl12-tune.jsonl", "community-decoys12-tune.jsonl", "community-urgent12-tune.jsonl", "community-urgent13-tune.jsonl", "community-email13-tune.jsonl", "community-decoys13-tune.jsonl", "community-terse14-tune.jsonl", "community-proxy14-tune.jsonl", "community-compare14-tune.jsonl", "community-veteran15-tune.jsonl", "community-night15-tune.jsonl", "community-mixed15-tune.jsonl", "community-women16-tune.jsonl", "community-health16-tune.jsonl", "community-typo16-tune.jsonl", "community-regret17-tune.jsonl", "community-booking17-tune.jsonl", "community-decoys17-tune.jsonl", "community-intl17-tune.jsonl", "community-aussie17-tune.jsonl", "community-long17-tune.jsonl", "community-adjacent17-tune.jsonl", "community-urgent17-tune.jsonl", "community-fb18-tune.jsonl", "community-yt18-tune.jsonl", "community-reddit18-tune.jsonl", "community-pairs18-tune.jsonl", "community-skeptic18-tune.jsonl", "community-decoys18-tune.jsonl", "community-women18-tune.jsonl", "community-return18-tune.jsonl", "community-oneword19-tune.jsonl", "community-latam19-tune.jsonl", "community-southasia19-tune.jsonl", "community-voice19-tune.jsonl", "community-discord19-tune.jsonl", "community-decoys19-tune.jsonl", "community-urgent19-tune.jsonl", "community-multi19-tune.jsonl", "community-decoys20-tune.jsonl", "community-claims20-tune.jsonl", "community-scar20-tune.jsonl", "community-beginner20-tune.jsonl", "community-gym20-tune.jsonl", "community-followup20-tune.jsonl", "community-anxious20-tune.jsonl", "community-euro20-tune.jsonl", "community-forum21-tune.jsonl", "community-telegram21-tune.jsonl", "community-stories21-tune.jsonl", "community-decoys21-tune.jsonl", "community-decoys22-tune.jsonl", "community-compare22-tune.jsonl", "community-whatsapp22-tune.jsonl", "community-mixed22-tune.jsonl", "community-tg24-tune.jsonl", "community-hl25-tune.jsonl", "community-fr26-tune.jsonl", "community-gc26-tune.jsonl", "community-yt27-tune.jsonl", "community-ds28-tune.jsonl", "community-fb28-tune.jsonl", "community-rd28-tune.jsonl", "community-al28-tune.jsonl", "community-dc28-tune.jsonl", "community-hl28-tune.jsonl", "community-ds29-tune.jsonl", "community-fb29-tune.jsonl", "community-wa29-tune.jsonl", "community-rd29-tune.jsonl", "community-ur29-tune.jsonl", "community-ds30-tune.jsonl", "community-fb30-tune.jsonl", "community-bb30-tune.jsonl", "community-hd30-tune.jsonl", "community-ur30-tune.jsonl", "community-tt31-tune.jsonl", "community-fr31-tune.jsonl", "community-gp31-tune.jsonl", "community-pm31-tune.jsonl", "community-ur32-tune.jsonl", "community-rd32-tune.jsonl", "community-nn32-tune.jsonl", "community-sh32-tune.jsonl", "community-th32-tune.jsonl", "community-tg32-tune.jsonl", "community-ds33-tune.jsonl", "community-lf33-tune.jsonl", "community-cp33-tune.jsonl", "community-yt33-tune.jsonl", "community-ol33-tune.jsonl", "community-pr34-tune.jsonl", "community-vc34-tune.jsonl", "community-wm34-tune.jsonl", "community-ht34-tune.jsonl", "community-st34-tune.jsonl", "community-mx34-tune.jsonl", "community-fb35-tune.jsonl", "community-ds35-tune.jsonl", "community-ig35-tune.jsonl", "community-qa35-tune.jsonl", "community-wa35-tune.jsonl", "community-rv35-tune.jsonl", "community-ur36-tune.jsonl", "community-gm36-tune.jsonl", "community-es36-tune.jsonl", "community-af36-tune.jsonl", "community-mx36-tune.jsonl", "community-uk37-tune.jsonl", "community-pt37-tune.jsonl", "community-lt37-tune.jsonl", "community-md38-tune.jsonl", "community-sa38-tune.jsonl", "community-tr38-tune.jsonl", "community-yg38-tune.jsonl", "community-pro38-tune.jsonl", "community-ar39-tune.jsonl", "community-ac39-tune.jsonl", "community-eu39-tune.jsonl", "community-old39-tune.jsonl", "community-fm39-tune.jsonl", "community-sh40-tune.jsonl", "community-lg40-tune.jsonl", "community-vt40-tune.jsonl", "community-bk40-tune.jsonl", "community-cl40-tune.jsonl", "community-gr41-tune.jsonl", "community-sq41-tune.jsonl", "community-hn41-tune.jsonl", "community-wm41-tune.jsonl", "community-la43-tune.jsonl", "community-md43-tune.jsonl", "community-st43-tune.jsonl", "community-af43-tune.jsonl", "community-ro44-tune.jsonl", "community-ph44-tune.jsonl", "community-pa44-tune.jsonl", "community-ln44-tune.jsonl", "community-jk46-tune.jsonl", "community-cn46-tune.jsonl", "community-sy46-tune.jsonl", "community-fr46-tune.jsonl"}

// Calibration returns the confidence thresholds and the urgent words
// calibrated on the tuning sets by `bot eval --calibrate`, with the entry
// words counted from those sets.
func Calibration() (knowledge.Calibration, error) { return calibration() }

var calibration = sync.OnceValues(func() (knowledge.Calibration, error) {
	c, err := ReadCalibration(files)
	if err != nil {
		return c, err
	}
	cases, err := TuningCases()
	if err != nil {
		return c, err
	}
	c.EntryWords = knowledge.FitEntryWords(cases)
	return c, nil
})

// ReadCalibration reads calibration.json from fsys.
func ReadCalibration(fsys fs.FS) (knowledge.Calibration, error) {
	var c knowledge.Calibration
	data, err := fs.ReadFile(fsys, CalibrationFile)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("%s: %w", CalibrationFile, err)
	}
	return c, nil
}

// EvalCases returns the embedded evaluation set.
func EvalCases() ([]knowledge.EvalCase, error) { return readSet(EvalFile) }

// TuningCases returns every case of TuningFiles, which calibration.json is
// calibrated on.
func TuningCases() ([]knowledge.EvalCase, error) {
	var all []knowledge.EvalCase
	for _, name := range TuningFiles {
		cases, err := readSet(name)
		if err != nil {
			return nil, err
		}
		all = append(all, cases...)
	}
	return all, nil
}

func readSet(name string) ([]knowledge.EvalCase, error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cases, err := knowledge.ReadEvalSet(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return cases, nil
}

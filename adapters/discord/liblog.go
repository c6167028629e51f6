package discord

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// LogLine writes one of discordgo's own log lines, of discordgo's level
// msgL (discordgo.LogError and so on), to log. It is for a
// discordgo.Logger, which discordgo calls for every session in the
// process: the program sets that variable, once, since the adapter cannot
// own it per Bot.
func LogLine(log *slog.Logger, msgL int, format string, a ...any) {
	level := slog.LevelDebug
	switch msgL {
	case discordgo.LogError:
		level = slog.LevelError
	case discordgo.LogWarning:
		level = slog.LevelWarn
	case discordgo.LogInformational:
		level = slog.LevelInfo
	}
	log.Log(context.Background(), level, "discordgo: "+strings.TrimSpace(fmt.Sprintf(format, a...)))
}

package main

import (
	"context"
)

// runPlatforms runs every configured platform adapter; with none configured
// it chats on the console.
func runPlatforms(ctx context.Context, e env, args []string) error {
	return chat(ctx, e, args)
}

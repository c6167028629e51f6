package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

// replicaName names this process among the bot's replicas, in the leases
// and claims they share: the host, the process id and a random part, so
// that a restarted process is a new replica. It holds only the characters
// a NATS key allows.
func replicaName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "host"
	}
	host = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, host)
	return fmt.Sprintf("%s-%d-%08x", host, os.Getpid(), rand.Uint32())
}

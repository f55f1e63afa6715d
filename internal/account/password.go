package account

import (
	"context"
	"net/http"
	"runtime"
	"time"

	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"sharaka/internal/platform/httpx"
	"strings"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's recommendation (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashSlots bounds how many argon2 computations run at once: each takes
// argonMemory, so a flood of sign-ins must queue rather than exhaust memory.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

// ErrBusy is returned when sign-ins queue for too long.
var ErrBusy = &httpx.Error{Status: http.StatusServiceUnavailable, Type: "busy", MsgID: "error.busy", RetryAfter: 5 * time.Second}

func withHashSlot[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	select {
	case hashSlots <- struct{}{}:
		defer func() { <-hashSlots }()
		return fn()
	case <-ctx.Done():
		var zero T
		return zero, ErrBusy
	}
}

// HashPassword returns a PHC-format argon2id hash with a random salt.
func HashPassword(ctx context.Context, pw string) (string, error) {
	return withHashSlot(ctx, func() (string, error) { return hashPassword(pw) })
}

// CheckPassword reports whether pw matches the PHC hash, in constant time.
func CheckPassword(ctx context.Context, hash, pw string) (bool, error) {
	return withHashSlot(ctx, func() (bool, error) { return checkPassword(hash, pw) })
}

func hashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// NoPassword is the stored hash of an account that has no password yet (one
// created for someone by an import): nothing matches it; the person sets a
// password through "forgotten password", which proves they own the address.
const NoPassword = "!"

func checkPassword(hash, pw string) (bool, error) {
	if hash == NoPassword {
		return false, nil
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var version int
	var mem, iters uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &iters, &threads); err != nil {
		return false, fmt.Errorf("argon2 params %q: %w", parts[3], err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("argon2 salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, fmt.Errorf("argon2 key: %w", err)
	}
	got := argon2.IDKey([]byte(pw), salt, iters, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked when an email is unknown, so that a wrong address
// takes as long as a wrong password and does not reveal who has an account.
var dummyHash, _ = hashPassword("sharaka-timing-equaliser")

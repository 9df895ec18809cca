package stage

import (
	"fmt"
	"strings"

	"github.com/leadline/leadline/leaderr"
)

// Stage is the touch stage of a lead: how far its cadence of outbound
// attempts has gone (T1-T7). The zero value is [Untouched].
//
// Stages are stored and exchanged by their key ("stage2"), never by number;
// the numbers may change between releases.
type Stage uint8

// The touch stages, in cadence order.
const (
	Untouched Stage = iota // no attempt yet in the current cadence (T1)
	Stage1                 // first attempt: call and email, voicemail if unanswered (T2)
	Stage2                 // second attempt, within 48h of Stage1 (T3)
	Stage3                 // third attempt, within 48h of Stage2 (T4)
	Stage4                 // last attempt, within 4 days of Stage3 (T5)
	Connected              // a two-way contact was made; the cadence ended (T6)
	numStages
)

var stageKeys = [numStages]string{"untouched", "stage1", "stage2", "stage3", "stage4", "connected"}
var stageNames = [numStages]string{"Untouched", "Stage1", "Stage2", "Stage3", "Stage4", "Connected"}

// String returns the display name: "Untouched", "Stage1" ... "Connected".
func (s Stage) String() string {
	if s < numStages {
		return stageNames[s]
	}
	return fmt.Sprintf("Stage(%d)", uint8(s))
}

// Key returns the stable lower-case key used in text, JSON and storage:
// "untouched", "stage1" ... "connected".
func (s Stage) Key() string {
	if s < numStages {
		return stageKeys[s]
	}
	return fmt.Sprintf("stage(%d)", uint8(s))
}

// Valid reports whether s is one of the declared stages.
func (s Stage) Valid() bool { return s < numStages }

// Attempted reports whether s is one of Stage1..Stage4, the stages the
// worklist shows (rule V1).
func (s Stage) Attempted() bool { return s >= Stage1 && s <= Stage4 }

// MarshalText returns the key.
func (s Stage) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, leaderr.Errorf("stage", "unknown stage %d", uint8(s))
	}
	return []byte(stageKeys[s]), nil
}

// UnmarshalText accepts the key or the display name, in any case.
func (s *Stage) UnmarshalText(b []byte) error {
	v, err := ParseStage(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseStage parses a key ("stage2") or a display name ("Stage2"), ignoring
// case and surrounding space; "Stage 2", "Touch Stage2" and "Touch Stage
// 2" are accepted as CRM exports spell them. Anything else is a [*leaderr.FieldError] for "stage".
func ParseStage(s string) (Stage, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(k, "touch "); ok && strings.HasPrefix(rest, "stage") {
		k = rest
	}
	if len(k) == len("stage 1") && strings.HasPrefix(k, "stage ") {
		k = "stage" + k[len("stage "):]
	}
	for i, key := range stageKeys {
		if k == key {
			return Stage(i), nil
		}
	}
	return 0, leaderr.Errorf("stage", "unknown stage %s; want one of %s", leaderr.Quote(s), strings.Join(stageKeys[:], ", "))
}

// Channels is a set of outreach channels. An outbound attempt may use
// several at once, "call and email" (T2); a contact names the one that
// connected.
type Channels uint8

// The channels. Combine with |: Call|Email|Voicemail.
const (
	Call        Channels = 1 << iota // a phone call, answered or not
	Email                            // an e-mail sent, or (for a contact) a reply
	Voicemail                        // a voicemail left
	Meeting                          // a meeting, in person or online
	numChannels = 4
)

var channelKeys = [numChannels]string{"call", "email", "voicemail", "meeting"}

// Has reports whether every channel of c2 is in c.
func (c Channels) Has(c2 Channels) bool { return c&c2 == c2 }

// Valid reports whether c holds only declared channels.
func (c Channels) Valid() bool { return c < 1<<numChannels }

// String returns the keys joined with commas, "call,email", or "" for none.
func (c Channels) String() string {
	if c == 0 {
		return ""
	}
	var b strings.Builder
	for i, k := range channelKeys {
		if c&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(k)
		}
	}
	if !c.Valid() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "channels(%#x)", uint8(c&^(1<<numChannels-1)))
	}
	return b.String()
}

// MarshalText returns [Channels.String].
func (c Channels) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, leaderr.Errorf("channels", "unknown channel bits %#x", uint8(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText accepts what [ParseChannels] accepts.
func (c *Channels) UnmarshalText(b []byte) error {
	v, err := ParseChannels(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseChannels parses keys separated by commas, "+" or semicolons, in
// any case: "call,email", "Call + Voicemail", "call;email" (a CRM's
// multi-select field), and the Japanese commas "、" and "，". The empty
// string is the empty set.
func ParseChannels(s string) (Channels, error) {
	var c Channels
	for part := range strings.FieldsFuncSeq(s, isChannelSeparator) {
		k := strings.ToLower(strings.TrimSpace(part))
		if k == "" {
			continue
		}
		found := false
		for i, key := range channelKeys {
			if k == key {
				c |= 1 << i
				found = true
				break
			}
		}
		if !found {
			return 0, leaderr.Errorf("channels", "unknown channel %s; want any of %s", leaderr.Quote(strings.TrimSpace(part)), strings.Join(channelKeys[:], ", "))
		}
	}
	return c, nil
}

func isChannelSeparator(r rune) bool {
	switch r {
	case ',', '+', ';', '、', '，':
		return true
	}
	return false
}

// StageSet is a set of stages, such as the stages of a [Track] reached
// late (T9). Bit s is stage s. In text and JSON it is the keys joined with
// commas: "stage2,stage4".
type StageSet uint8

// StageSetOf returns the set of ss; stages out of range are left out.
func StageSetOf(ss ...Stage) StageSet {
	var set StageSet
	for _, s := range ss {
		if s.Valid() {
			set |= 1 << s
		}
	}
	return set
}

// Has reports whether s is in set.
func (set StageSet) Has(s Stage) bool { return s < 8 && set&(1<<s) != 0 }

// Valid reports whether set holds only declared stages.
func (set StageSet) Valid() bool { return set < 1<<numStages }

// String returns the keys joined with commas, "stage2,stage4", or "" for
// none. Bits of no stage are shown as "stages(0x40)".
func (set StageSet) String() string {
	var b strings.Builder
	for s := range numStages {
		if set.Has(s) {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(stageKeys[s])
		}
	}
	if !set.Valid() {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "stages(%#x)", uint8(set&^(1<<numStages-1)))
	}
	return b.String()
}

// MarshalText returns [StageSet.String]; bits of no stage are an error.
func (set StageSet) MarshalText() ([]byte, error) {
	if !set.Valid() {
		return nil, leaderr.Errorf("stages", "unknown stage bits %#x", uint8(set))
	}
	return []byte(set.String()), nil
}

// UnmarshalText parses stages (keys or display names, as [ParseStage]
// reads them) separated by commas; "" is the empty set.
func (set *StageSet) UnmarshalText(b []byte) error {
	var v StageSet
	for part := range strings.SplitSeq(string(b), ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		s, err := ParseStage(part)
		if err != nil {
			return err
		}
		v |= 1 << s
	}
	*set = v
	return nil
}

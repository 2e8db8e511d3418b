package phrasebook

import (
	"strings"
	"unicode/utf8"
)

// Traditional characters. Agents on desks in Hong Kong, Macau and Taiwan,
// and text that went through a traditional-character conversion (the seed
// regulations did), write 這個我們辦不了 for 这个我们办不了. The linter
// treats both alike: every pattern is also compiled in its traditional
// form, and the context rules read text through toSimplified.
//
// tradPairs lists traditional/simplified pairs, traditional first: the
// characters of the lexicon, the catalogue and the context words, and
// common ones around them. A simplified character with two traditional
// forms (发: 發 髮, 系: 係 繫) is listed once per form; the first one is
// the form patterns are compiled in.
const tradPairs = "萬万與与專专為为麼么樂乐爭争產产們们會会傷伤兒儿關关興兴決决準准別别辦办務务勞劳發发髮发號号後后嗎吗聽听囉啰圍围聖圣聲声處处複复復复覆复誇夸實实寶宝對对將将盡尽幫帮並并應应開开歸归錄录總总戶户執执擾扰報报據据斷断無无時时曉晓暫暂條条來来標标樣样橫横氣气沒没滿满點点煩烦愛爱獨独現现電电著着碼码確确禮礼稱称係系繫系約约經经給给絕绝縮缩聯联節节範范見见規规認认讓让記记許许設设訪访證证訴诉詞词話话誕诞詢询該该誤误說说請请諾诺誰谁諒谅談谈謝谢負负責责貴贵費费車车轉转較较邊边達达過过還还這这進进遺遗釋释裡里裏里錯错長长問问間间鬧闹隨随項项顧顾題题馬马個个業业幹干乾干師师廠厂錢钱單单樓楼區区門门權权書书換换賬账維维檢检驗验預预運运動动東东兩两員员際际質质結结論论賠赔償偿險险訂订購购買买賣卖價价鐘钟網网絡络線线覺觉適适辭辞託托囑嘱幾几歡欢遠远腦脑記记邊边態态慣惯難难麵面鑰钥輛辆駛驶險险啟启闆板區区屬属們们處处於于對对傳传連连續续"

var (
	// tradBits: a bit per traditional character of t2s (by its low 16
	// bits), a quick "certainly not" before the map.
	tradBits [1 << 10]uint64
	t2s      = map[rune]rune{}
	s2t      = map[rune]rune{}
)

func init() {
	r := []rune(tradPairs)
	for i := 0; i+1 < len(r); i += 2 {
		t, s := r[i], r[i+1]
		if t == s {
			continue
		}
		t2s[t] = s
		tradBits[t>>6&(1<<10-1)] |= 1 << (t & 63)
		if _, ok := s2t[s]; !ok {
			s2t[s] = t
		}
	}
}

// plainWindow reports whether normWindow would return s unchanged: no
// upper-case ASCII letter, tab, double or stray space, typographic
// apostrophe or traditional character.
func plainWindow(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 'A' && c <= 'Z' || isSpace(c) && (c == '\t' || stray(s, i)) {
				return false
			}
			i++
			continue
		}
		r, size := decodeRune(s, i)
		if r == '\u2019' || r >= 0x3400 && tradBits[r>>6&(1<<10-1)]&(1<<(r&63)) != 0 && t2s[r] != 0 {
			return false
		}
		i += size
	}
	return true
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the three-byte
// characters of Chinese text decoded in line.
func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c >= 0xE0 && c < 0xF0 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// decodeLastRune is utf8.DecodeLastRuneInString(s[:i]) with the
// three-byte characters of Chinese text decoded in line.
func decodeLastRune(s string, i int) (rune, int) {
	if i >= 3 {
		if c := s[i-3]; c >= 0xE0 && c < 0xF0 && s[i-2]&0xC0 == 0x80 && s[i-1]&0xC0 == 0x80 {
			r := rune(c&0x0F)<<12 | rune(s[i-2]&0x3F)<<6 | rune(s[i-1]&0x3F)
			if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
				return r, 3
			}
		}
	}
	return utf8.DecodeLastRuneInString(s[:i])
}

// toSimplified maps a traditional character to its simplified form.
func toSimplified(r rune) rune {
	if r < 0x3400 {
		return r
	}
	if s, ok := t2s[r]; ok {
		return s
	}
	return r
}

// traditional returns s with every character that has a traditional form
// in tradPairs written in it, and whether anything changed.
func traditional(s string) (string, bool) {
	changed := false
	out := []rune(s)
	for i, r := range out {
		if t, ok := s2t[r]; ok {
			out[i] = t
			changed = true
		}
	}
	return string(out), changed
}

// normWindow is how the context rules read a piece of text: simplified
// characters, ASCII letters in lower case, typographic apostrophes as
// ASCII ones, and no stray whitespace (see stray).
func normWindow(s string) string {
	if plainWindow(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if isSpace(c) && stray(s, i) {
				i++
				continue
			}
			b.WriteByte(foldByte(c))
			i++
			continue
		}
		r, size := decodeRune(s, i)
		switch {
		case r == '\u2019':
			b.WriteByte('\'')
		case r == utf8.RuneError && size == 1:
			b.WriteByte(c)
		default:
			b.WriteRune(toSimplified(r))
		}
		i += size
	}
	return b.String()
}

// normEqual reports whether normWindow(s) == want without building the
// normalised text: it compares as it goes and stops at the first
// difference, so a window that is not an approved clause costs a few
// bytes, not a pass over the clause.
func normEqual(s, want string) bool {
	j := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !isSpace(c) || !stray(s, i) {
				if j >= len(want) || want[j] != foldByte(c) {
					return false
				}
				j++
			}
			i++
			continue
		}
		r, size := decodeRune(s, i)
		switch {
		case r == '\u2019':
			if j >= len(want) || want[j] != '\'' {
				return false
			}
			j++
		case r == utf8.RuneError && size == 1:
			if j >= len(want) || want[j] != c {
				return false
			}
			j++
		default:
			sr := toSimplified(r)
			wr, wn := utf8.DecodeRuneInString(want[j:])
			if wr != sr || wn != utf8.RuneLen(sr) {
				return false
			}
			j += wn
		}
		i += size
	}
	return j == len(want)
}

#include "cli/fio_quote.h"
#include "lib/util.h"

#include <string.h>

/* Why fio would misread character c in a value, or NULL when it stands for itself. */
static const char *misread(unsigned char c)
{
	if (c == '\n')
		return "holds a newline (fio would read what follows as an option of its own)";
	if (c < 0x20 || c == 0x7f)
		return "holds a control character";
	switch (c) {
	case ';':
	case '#': return "holds a comment sign (fio drops what follows ';' or '#')";
	case '$': return "holds '$' (fio expands ${VAR} from the environment)";
	case '\\': return "holds a backslash (fio reads '\\:' as an escape)";
	default: return NULL;
	}
}

int fio_quote(enum fio_field kind, const char *value, char *out, size_t len, char *why, size_t whylen)
{
	if (kind == FIO_COMMENT) { /* only has to stay one line: shown escaped, never refused */
		text_visible(value, out, len);
		return 0;
	}
	size_t k = 0, n = strlen(value);
	const char *bad = NULL;
	if (n &&
	    (value[0] == ' ' || value[0] == '\t' || value[n - 1] == ' ' || value[n - 1] == '\t'))
		bad = "starts or ends with a blank (fio strips them)";
	for (const char *s = value; *s && !bad; s++) {
		bad = misread((unsigned char)*s);
		int esc = kind == FIO_FILENAME && *s == ':'; /* fio's separator of file names */
		if (!bad && k + (size_t)esc + 1 >= len)
			bad = "is too long for a fio job line";
		if (bad)
			break;
		if (esc)
			out[k++] = '\\';
		out[k++] = *s;
	}
	if (bad) {
		char shown[256];
		if (len)
			out[0] = '\0';
		fmt_into(why, whylen, "fio cannot be given '%s': it %s", text_visible(value, shown, sizeof(shown)), bad);
		return -1;
	}
	if (len)
		out[k] = '\0';
	return 0;
}

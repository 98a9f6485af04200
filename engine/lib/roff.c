#include "lib/roff.h"

void roff_put(FILE *f, const char *s, int at_line_start)
{
	for (; *s; s++) {
		if (at_line_start && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		at_line_start = *s == '\n';
		switch (*s) {
		case '\\': fputs("\\e", f); break;
		case '-': fputs("\\-", f); break;
		case '"': fputs("\\(dq", f); break;
		default: fputc(*s, f);
		}
	}
}

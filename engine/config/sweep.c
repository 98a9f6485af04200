#include "config/sweep.h"
#include "lib/util.h"

#include <stdlib.h>
#include <string.h>


/* A range is "a:<op>b:c" with op in + - * /; anything else with ':' is not a range. */
static int split_range(const char *t, char *first, char *op, char *step, char *last, size_t len)
{
	const char *c1 = strchr(t, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c2 || strchr(c2 + 1, ':') || !strchr("+-*/", c1[1]) || c1[1] == '\0')
		return -1;
	size_t n1 = (size_t)(c1 - t), n2 = (size_t)(c2 - c1 - 2);
	if (!n1 || !n2 || n1 >= len || n2 >= len || strlen(c2 + 1) >= len || !c2[1])
		return -1;
	memcpy(first, t, n1);
	first[n1] = '\0';
	*op = c1[1];
	memcpy(step, c1 + 2, n2);
	step[n2] = '\0';
	strcpy(last, c2 + 1);
	return 0;
}

int sweep_is_sweep(const struct opt_def *d, const char *text)
{
	if (!opt_sweepable(d))
		return 0;
	if (strchr(text, ','))
		return 1;
	char a[64], op, b[64], c[64];
	return opt_numeric(d) && split_range(text, a, &op, b, c, sizeof(a)) == 0;
}

static int expand_range(const struct opt_def *d, const char *item, struct strlist *out, char *err, size_t errlen)
{
	char a[64], b[64], c[64], op;
	uint64_t first, step, last;
	if (split_range(item, a, &op, b, c, sizeof(a))) {
		fmt_into(err, errlen, "%s: '%s' is not a range first:<op>step:last (op one of + - * /)", d->name, item);
		return -1;
	}
	if (opt_parse_number(d, a, &first, err, errlen) || opt_parse_number(d, c, &last, err, errlen))
		return -1;
	/* the step of + and - has the option's unit; of * and / it is a plain factor */
	struct opt_def factor = { .name = d->name, .type = OPT_COUNT };
	if (opt_parse_number(op == '+' || op == '-' ? d : &factor, b, &step, err, errlen))
		return -1;
	if (step == 0 || ((op == '*' || op == '/') && step == 1)) {
		fmt_into(err, errlen, "%s: range step '%c%s' would never reach %s", d->name, op, b, c);
		return -1;
	}
	int up = op == '+' || op == '*';
	if ((up && first > last) || (!up && first < last)) {
		fmt_into(err, errlen, "%s: range %s goes %s but ends at %s", d->name, item, up ? "up" : "down", c);
		return -1;
	}
	for (uint64_t v = first;;) {
		char buf[64];
		if (out->n >= SWEEP_MAX_VALUES) {
			fmt_into(err, errlen, "%s: sweep has more than %d values", d->name, SWEEP_MAX_VALUES);
			return -1;
		}
		opt_format_number(d, v, buf, sizeof(buf));
		strlist_add(out, buf);
		uint64_t next;
		switch (op) {
		case '+': next = v + step; if (next < v) return 0; break;
		case '-': if (v < step) return 0; next = v - step; break;
		case '*': if (v > UINT64_MAX / step) return 0; next = v * step; break;
		default: next = v / step; break;
		}
		if ((up && next > last) || (!up && next < last) || next == v)
			return 0;
		v = next;
	}
}

int sweep_expand(const struct opt_def *d, const char *text, struct strlist *out, char *err, size_t errlen)
{
	char *copy = xstrdup(text), *rest = copy;
	int rc = 0;
	if (!*trim(copy)) {
		fmt_into(err, errlen, "%s has no value (write one, or remove the line)", d->name);
		free(copy);
		return -1;
	}
	if (!opt_sweepable(d) && strchr(text, ',')) {
		strlist_add(out, text);
		free(copy);
		return 0;
	}
	/* strsep, not strtok: "4k,,8k" has an empty item, which is an error */
	for (char *item = strsep(&rest, ","); item && !rc; item = strsep(&rest, ",")) {
		item = trim(item);
		if (!*item) {
			fmt_into(err, errlen, "%s: empty value in list '%s'", d->name, text);
			rc = -1;
		} else if (opt_numeric(d) && strchr(item, ':')) {
			rc = expand_range(d, item, out, err, errlen);
		} else {
			strlist_add(out, item);
		}
	}
	if (!rc && out->n == 0) {
		fmt_into(err, errlen, "%s: no value", d->name);
		rc = -1;
	}
	free(copy);
	return rc;
}

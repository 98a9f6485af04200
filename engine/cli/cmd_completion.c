/*
 * `daxperf completion bash`: the bash completion script, made from the tables that drive help
 * (commands, each command's --help text for its options, the job and workload option tables for
 * --set KEY= and their values, the workloads, the shipped configs). Every word the script embeds
 * goes through shell_word.
 */
#include "cli/commands.h"
#include "config/jobopts.h"
#include "lib/paths.h"
#include "lib/strlist.h"
#include "lib/util.h"
#include "lib/version.h"
#include "workloads/workload.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char completion_usage[] =
	"usage: daxperf completion bash\n"
	"\n"
	"Prints the bash completion script: commands, their options, KEY=VALUE with every option\n"
	"name and its values, workloads and shipped configs. Installed by make install; to try it:\n"
	"  source <(daxperf completion bash)\n";

/* One word for the shell: single-quoted, so nothing in it expands. */
static void shell_word(const char *s)
{
	putchar('\'');
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	putchar('\'');
}

/* Appends word to the list unless it is there already. */
static void add_unique(struct strlist *l, const char *word)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], word))
			return;
	strlist_add(l, word);
}

/* The words --NAME in a command's --help text, in order, each once. */
static void usage_options(const char *text, struct strlist *out)
{
	for (const char *p = text; (p = strstr(p, "--")); ) {
		const char *q = p + 2;
		while (islower((unsigned char)*q) || *q == '-')
			q++;
		if (q > p + 2 && (p == text || !isalnum((unsigned char)p[-1])) && q[-1] != '-') {
			char word[64];
			fmt_into(word, sizeof(word), "%.*s", (int)(q - p), p);
			add_unique(out, word);
		}
		p = q;
	}
}

/* The values an option takes that can be listed: an enum's names, else the literal choices of its
 * type ("seq|rand|stride:N" gives seq, rand, stride:), none for numbers and free text. */
static void option_values(const struct opt_def *d, struct strlist *out)
{
	if (d->type == OPT_ENUM) {
		for (const char *const *v = d->values; *v; v++)
			add_unique(out, *v);
		return;
	}
	if (d->type == OPT_NODE) { /* "node|any": a number or any */
		add_unique(out, "any");
		return;
	}
	char type[256];
	opt_describe_type(d, type, sizeof(type));
	if (!strchr(type, '|'))
		return;
	for (char *save, *piece = strtok_r(type, "|", &save); piece; piece = strtok_r(NULL, "|", &save)) {
		char *colon = strchr(piece, ':');
		if (colon)
			colon[1] = '\0'; /* stride:N -> stride: (the user writes the number) */
		add_unique(out, piece);
	}
}

static void print_list(const char *var, const struct strlist *l)
{
	printf("%s=(", var);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			putchar(' ');
		shell_word(l->v[i]);
	}
	printf(")\n");
}

/* Every option a job can be given: the common ones, then each workload's own. */
static void for_each_option(void (*fn)(const struct opt_def *d, void *ctx), void *ctx)
{
	for (const struct opt_def *d = job_opt_table; d->name; d++)
		fn(d, ctx);
	for (const struct workload *const *w = workloads; *w; w++)
		for (const struct opt_def *d = (*w)->opts; d && d->name; d++)
			fn(d, ctx);
}

static void add_key(const struct opt_def *d, void *ctx)
{
	add_unique(ctx, d->name);
}

/* A case arm of _daxperf_values: KEY) the words;; (an option of two scopes lists both's values) */
static void print_values_arm(const struct opt_def *d, void *ctx)
{
	struct strlist *done = ctx;
	for (size_t i = 0; i < done->n; i++)
		if (!strcmp(done->v[i], d->name))
			return;
	struct strlist values = { 0 };
	option_values(d, &values);
	for (const struct workload *const *w = workloads; *w; w++)
		for (const struct opt_def *o = (*w)->opts; o && o->name; o++)
			if (o != d && !strcmp(o->name, d->name))
				option_values(o, &values);
	if (values.n) {
		printf("\t");
		shell_word(d->name);
		printf(") words=(");
		for (size_t i = 0; i < values.n; i++) {
			if (i)
				putchar(' ');
			shell_word(values.v[i]);
		}
		printf(") ;;\n");
	}
	strlist_free(&values);
	strlist_add(done, d->name);
}

/* The completion logic, around the generated lists: the case arms of _daxperf_values go between
 * values_head and completion_logic. */
static const char values_head[] =
	"_daxperf_values() {\n"
	"\tlocal words=()\n"
	"\tcase $1 in\n";

static const char completion_logic[] =
	"\tesac\n"
	"\tprintf '%s\\n' \"${words[@]}\"\n"
	"}\n"
	"\n"
	"# reply with the words of a list that start with $2, each with prefix $3\n"
	"_daxperf_reply() {\n"
	"\tlocal w\n"
	"\tfor w in $1; do [[ $w == \"$2\"* ]] && COMPREPLY+=(\"$3$w\"); done\n"
	"}\n"
	"\n"
	"_daxperf() {\n"
	"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cmd=${COMP_WORDS[1]} key val\n"
	"\tCOMPREPLY=()\n"
	"\tif ((COMP_CWORD == 1)); then\n"
	"\t\t_daxperf_reply \"${_daxperf_commands[*]} --help --version\" \"$cur\"\n"
	"\t\treturn\n"
	"\tfi\n"
	"\t# --set KEY=VALUE, whether or not COMP_WORDBREAKS split the word at '='\n"
	"\tif [[ $prev == --set ]]; then\n"
	"\t\tif [[ $cur == *=* ]]; then\n"
	"\t\t\tkey=${cur%%=*}\n"
	"\t\t\t_daxperf_reply \"$(_daxperf_values \"$key\")\" \"${cur#*=}\" \"$key=\"\n"
	"\t\telse\n"
	"\t\t\t_daxperf_reply \"${_daxperf_keys[*]/%/=}\" \"$cur\"\n"
	"\t\t\tcompopt -o nospace 2>/dev/null\n"
	"\t\tfi\n"
	"\t\treturn\n"
	"\tfi\n"
	"\tif ((COMP_CWORD >= 3)) && [[ $cur == = && ${COMP_WORDS[COMP_CWORD-2]} == --set ]]; then\n"
	"\t\t_daxperf_reply \"$(_daxperf_values \"$prev\")\" \"\"\n"
	"\t\treturn\n"
	"\tfi\n"
	"\tif ((COMP_CWORD >= 4)) && [[ $prev == = && ${COMP_WORDS[COMP_CWORD-3]} == --set ]]; then\n"
	"\t\t_daxperf_reply \"$(_daxperf_values \"${COMP_WORDS[COMP_CWORD-2]}\")\" \"$cur\"\n"
	"\t\treturn\n"
	"\tfi\n"
	"\tcase $prev in\n"
	"\t--dir|--output|--out) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
	"\t--kernel) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
	"\t--format)\n"
	"\t\tif [[ $cmd == plot ]]; then _daxperf_reply 'png svg' \"$cur\"; else _daxperf_reply 'human json simple' \"$cur\"; fi\n"
	"\t\treturn ;;\n"
	"\t--fs) _daxperf_reply 'xfs ext4' \"$cur\"; return ;;\n"
	"\t--dax) _daxperf_reply 'inode always never' \"$cur\"; return ;;\n"
	"\t--rounds|--threads|--pmem|--mem|--numa|--pmem-node|--timeout) return ;;\n"
	"\tesac\n"
	"\tif [[ $cur == -* ]]; then\n"
	"\t\t_daxperf_reply \"$(_daxperf_options \"$cmd\")\" \"$cur\"\n"
	"\t\treturn\n"
	"\tfi\n"
	"\tcase $cmd in\n"
	"\trun|compare|fio|sweep)\n"
	"\t\t_daxperf_reply \"${_daxperf_configs[*]}\" \"$cur\"\n"
	"\t\tCOMPREPLY+=($(compgen -f -X '!*.ini' -- \"$cur\") $(compgen -d -S / -- \"$cur\"))\n"
	"\t\t[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == */ ]] && compopt -o nospace 2>/dev/null ;;\n"
	"\thelp) _daxperf_reply \"${_daxperf_workloads[*]}\" \"$cur\" ;;\n"
	"\tplot|info) COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
	"\tpoison) _daxperf_reply 'status clear' \"$cur\" ;;\n"
	"\tcompletion) _daxperf_reply 'bash' \"$cur\" ;;\n"
	"\tesac\n"
	"}\n"
	"complete -F _daxperf daxperf\n";

int completion_print(int argc, char **argv, const struct command_doc *cmds, size_t n)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return fputs(completion_usage, stdout), 0;
	if (argc != 2 || strcmp(argv[1], "bash"))
		return error("completion: which shell? bash is the one there is (daxperf completion bash)"), 2;
	printf("# bash completion for daxperf %s, printed by `daxperf completion bash` from its own tables.\n",
	       DAXPERF_VERSION);
	struct strlist l = { 0 };
	for (size_t i = 0; i < n; i++)
		strlist_add(&l, cmds[i].name);
	print_list("_daxperf_commands", &l);
	strlist_free(&l);
	for (const struct workload *const *w = workloads; *w; w++)
		strlist_add(&l, (*w)->name);
	print_list("_daxperf_workloads", &l);
	strlist_free(&l);
	config_names(&l);
	print_list("_daxperf_configs", &l);
	strlist_free(&l);
	for_each_option(add_key, &l);
	print_list("_daxperf_keys", &l);
	strlist_free(&l);

	printf("\n_daxperf_options() {\n\tcase $1 in\n");
	for (size_t i = 0; i < n; i++) {
		char *usage = command_usage(&cmds[i]);
		if (!usage)
			continue;
		usage_options(usage, &l);
		free(usage);
		if (l.n) {
			printf("\t");
			shell_word(cmds[i].name);
			printf(") echo");
			for (size_t k = 0; k < l.n; k++) {
				putchar(' ');
				shell_word(l.v[k]);
			}
			printf(" ;;\n");
		}
		strlist_free(&l);
	}
	printf("\tesac\n}\n\n");

	fputs(values_head, stdout);
	for_each_option(print_values_arm, &l);
	strlist_free(&l);
	fputs(completion_logic, stdout);
	return 0;
}

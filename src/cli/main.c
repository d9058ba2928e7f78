/*
 * main.c - the syndic command: a table of subcommands.
 */
#include "cli.h"

#include <string.h>

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"cluster", cmd_cluster, "group copies of the same story into clusters"},
    {"compare", cmd_compare, "show why two documents match or not"},
    {"show", cmd_show, "draw one story of a report: timeline and copy tree"},
    {"ingest", cmd_ingest, "a verdict per arriving article, against a persistent state"},
    {"state", cmd_state, "stats, export, verify or compact an ingest state"},
};

static void usage(FILE *f)
{
    fprintf(f, "Usage: syndic COMMAND [options] ...\n"
               "Find copies and reworded copies of the same news story.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'syndic COMMAND --help' describes a command.\n"
               "  -h, --help     this help\n"
               "  -V, --version  print the version\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return EXIT_USAGE; }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "-V") == 0 || strcmp(name, "--version") == 0) {
        printf("syndic %s\n", syndic_version());
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(name, commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'", name);
    usage(stderr);
    return EXIT_USAGE;
}

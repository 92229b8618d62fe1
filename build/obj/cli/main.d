build/obj/cli/main.o: cli/main.c cli/cli.h schema/report.h \
 schema/event_types.def
cli/cli.h:
schema/report.h:
schema/event_types.def:

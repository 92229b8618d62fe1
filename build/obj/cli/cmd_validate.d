build/obj/cli/cmd_validate.o: cli/cmd_validate.c cli/cli.h \
 schema/report.h schema/event_types.def
cli/cli.h:
schema/report.h:
schema/event_types.def:

build/obj/schema/load.o: schema/load.c schema/report.h \
 schema/event_types.def schema/util.h
schema/report.h:
schema/event_types.def:
schema/util.h:

build/obj/schema/util.o: schema/util.c schema/util.h
schema/util.h:

package dev.neper.fleet.runner.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.math.BigInteger;

/**
 * A u64 from the wire held in a Java long, written to JSON as the unsigned number it is (neper's
 * key=value output prints it unsigned too): 2^64-1 is 18446744073709551615, never -1.
 */
public final class UnsignedLongJson {
    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    private UnsignedLongJson() {
    }

    public static final class Serializer extends StdSerializer<Long> {
        public Serializer() {
            super(Long.class);
        }

        @Override
        public void serialize(Long value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (value >= 0) {
                generator.writeNumber(value);
            } else {
                generator.writeNumber(BigInteger.valueOf(value).add(TWO_TO_THE_64));
            }
        }
    }

    public static final class Deserializer extends StdDeserializer<Long> {
        public Deserializer() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            BigInteger value = parser.getBigIntegerValue();
            if (value.signum() < 0 || value.bitLength() > 64) {
                return (Long) context.handleWeirdNumberValue(Long.class, value, "not an unsigned 64-bit value");
            }
            return value.longValue();
        }
    }
}

package io.github.compressm.ssm.serving;

import ai.djl.nn.Block;
import io.github.compressm.ssm.Lru;
import io.github.compressm.ssm.Mamba2;
import io.github.compressm.ssm.S5;
import io.github.compressm.ssm.SsmBlock;
import java.util.HashMap;
import java.util.Map;
import org.testng.Assert;
import org.testng.annotations.Test;

/** The SSM layers {@link SsmBlockFactory} builds from a saved model's family. */
public class SsmBlockFactoryTest {

    @Test
    public void eachFamilyBuildsItsLayersWithTheInitialStateSize() {
        Object[][] families = {
            {null, Lru.class}, {"lru", Lru.class}, {"s5", S5.class}, {" mamba2 ", Mamba2.class}
        };
        for (Object[] family : families) {
            Map<String, Object> arguments = new HashMap<>();
            arguments.put(SsmBlockFactory.STATE_SIZE, "7");
            if (family[0] != null) {
                arguments.put(SsmBlockFactory.SSM, family[0]);
            }
            Block layer = SsmBlockFactory.ssmLayers(arguments, false).get();
            Assert.assertEquals(layer.getClass(), family[1], String.valueOf(family[0]));
            Assert.assertEquals(((SsmBlock) layer).getStateSize(), 7);
        }
    }

    @Test
    public void aSteppingMamba2LayerReturnsItsStates() {
        Map<String, String> arguments =
                Map.of(SsmBlockFactory.STATE_SIZE, "4", SsmBlockFactory.SSM, "mamba2");
        Assert.assertTrue(
                ((Mamba2) SsmBlockFactory.ssmLayers(arguments, true).get()).isReturnState());
        Assert.assertFalse(
                ((Mamba2) SsmBlockFactory.ssmLayers(arguments, false).get()).isReturnState());
    }

    @Test
    public void anUnknownFamilyNamesTheKnownOnes() {
        Map<String, String> arguments =
                Map.of(SsmBlockFactory.STATE_SIZE, "4", SsmBlockFactory.SSM, "gru");
        IllegalArgumentException e =
                Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> SsmBlockFactory.ssmLayers(arguments, false));
        Assert.assertTrue(e.getMessage().contains("lru, s5 or mamba2, got gru"), e.getMessage());
    }
}

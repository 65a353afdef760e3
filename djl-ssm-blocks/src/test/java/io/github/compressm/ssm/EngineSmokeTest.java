package io.github.compressm.ssm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.testng.Assert;
import org.testng.annotations.Test;

public class EngineSmokeTest {
    @Test
    public void engineLoadsOffline() {
        try (NDManager m = NDManager.newBaseManager()) {
            Assert.assertEquals(Engine.getInstance().getEngineName(), "PyTorch");
            Assert.assertEquals(m.ones(new ai.djl.ndarray.types.Shape(2)).sum().getFloat(), 2f);
        }
    }
}

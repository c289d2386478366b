package io.iotpm.alerts;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes rule message templates, which come from users (the API's rule editor) and configuration files. Any
 * text either builds a rule whose message renders (the same way twice, with every escaped brace halved) or is
 * refused at build time with an {@link IllegalArgumentException} naming the rule; nothing else, and never at
 * render time. {@code ./mvnw verify} replays {@code src/test/resources/.../MessageTemplateFuzzTestInputs};
 * {@code -Pfuzz} fuzzes.
 */
class MessageTemplateFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void anyTemplate_buildsAndRenders_orIsRefusedAtBuildNamingTheRule(@NotNull String template) {
        String rendered;
        try {
            rendered = MessageTemplatePropertiesTest.render(template);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("rule 'r': ");
            return;
        }
        assertThat(MessageTemplatePropertiesTest.render(template)).isEqualTo(rendered);
        if (template.indexOf('{') < 0 && template.indexOf('}') < 0) {
            assertThat(rendered).isEqualTo(template);
        }
    }
}

package io.usher.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.usher.core.model.User;
import io.usher.core.spi.SourceUser;
import io.usher.core.store.InMemoryUserStore;
import org.junit.jupiter.api.Test;

class SourcePushReactivateTest {

    @Test
    void reactivateUserChangesOnlyTheActiveFlag() {
        InMemoryUserStore store = new InMemoryUserStore();
        ProvisioningEngine engine = ProvisioningEngine.builder().store(store)
                .source(Source.builder("jit").build()).build();
        SourcePush push = engine.push("jit");
        PushResult created = push.upsertUser(SourceUser.builder("s1").loginName("zoe").displayName("Zoe").build());
        push.deactivateUser("s1");
        assertThat(store.findUser(created.key()).orElseThrow().active()).isFalse();

        PushResult back = push.reactivateUser("s1");
        assertThat(back.kind()).isEqualTo(ChangeKind.USER_REACTIVATED);
        User u = store.findUser(created.key()).orElseThrow();
        assertThat(u.active()).isTrue();
        assertThat(u.username()).isEqualTo("zoe");
        assertThat(u.displayName()).isEqualTo("Zoe");

        assertThat(push.reactivateUser("s1").changed()).isFalse();
        assertThatThrownBy(() -> push.reactivateUser("nobody")).extracting(x -> ((UsherException) x).code())
                .isEqualTo(UsherException.Code.NOT_FOUND);
    }
}

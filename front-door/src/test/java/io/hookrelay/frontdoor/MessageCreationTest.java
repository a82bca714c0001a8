package io.hookrelay.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageCreationTest {

    @Test
    void aMessageCreationIsAPostToOneApplicationsMessagesAndNothingElse() {
        assertThat(MessageCreation.is("POST", "/api/v1/app/acme/msg")).isTrue();
        assertThat(MessageCreation.is("POST", "/api/v1/app/app_2abc/msg")).isTrue();
        assertThat(MessageCreation.is("POST", "/api/v1/app//msg")).isFalse();
        assertThat(MessageCreation.is("POST", "/api/v1/app/acme/msg/")).isFalse();
        assertThat(MessageCreation.is("POST", "/api/v1/app/acme/msg/msg_1/attempt")).isFalse();
        assertThat(MessageCreation.is("POST", "/api/v1/app/acme/endpoint/ep/msg")).isFalse();
        assertThat(MessageCreation.is("POST", "/api/v1/app/acme/msgs")).isFalse();
        assertThat(MessageCreation.is("GET", "/api/v1/app/acme/msg")).isFalse();
        assertThat(MessageCreation.is("post", "/api/v1/app/acme/msg")).isFalse();
    }

    @Test
    void sendExampleCreatesOneTooButIsNoMessageCreationOfTheMessagesApi() {
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/acme/msg")).isTrue();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/acme/endpoint/ep_1/send-example")).isTrue();
        assertThat(MessageCreation.is("POST", "/api/v1/app/acme/endpoint/ep_1/send-example")).isFalse();
        assertThat(MessageCreation.createsOne("GET", "/api/v1/app/acme/endpoint/ep_1/send-example")).isFalse();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app//endpoint/ep_1/send-example")).isFalse();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/acme/endpoint//send-example")).isFalse();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/acme/endpoint/ep_1/x/send-example")).isFalse();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/acme/endpoints/ep_1/send-example")).isFalse();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/acme/endpoint/ep_1/send-example/")).isFalse();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/endpoint/ep_1/send-example")).isFalse();
        assertThat(MessageCreation.createsOne("POST", "/api/v1/app/acme/endpoint/ep_1")).isFalse();
    }
}

package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which export texts may become link addresses and video embeds. */
class OpenEventLinkChecksTest {

  @Test
  void webAddress_httpAndHttpsWithAHost_areKeptAndEverythingElseRefused() {
    assertThat(WebAddress.of("https://ada.example/path?q=1")).contains("https://ada.example/path?q=1");
    assertThat(WebAddress.of("HTTP://ADA.EXAMPLE/")).contains("HTTP://ADA.EXAMPLE/");
    assertThat(WebAddress.of("javascript:alert(1)")).isEmpty();
    assertThat(WebAddress.of("https:///no-host")).isEmpty();
    assertThat(WebAddress.of("https://a.example/ x")).isEmpty();
    assertThat(WebAddress.of("https:\\\\evil.example")).isEmpty();
    assertThat(WebAddress.of("https://a.example/\"onmouseover=x")).isEmpty();
    assertThat(WebAddress.of("data:text/html,hi")).isEmpty();
  }

  @Test
  void profile_bareAccountName_becomesItsAddressOnlyWhereTheSiteIsKnown() {
    assertThat(WebAddress.profile("@ada_l", "https://twitter.com/")).contains("https://twitter.com/ada_l");
    assertThat(WebAddress.profile("ada-l", "https://github.com/")).contains("https://github.com/ada-l");
    assertThat(WebAddress.profile("ada l", "https://github.com/")).isEmpty();
    assertThat(WebAddress.profile("../../x", "https://github.com/")).isEmpty();
    assertThat(WebAddress.profile("ada", null)).isEmpty();
  }

  @Test
  void videoEmbed_youtubeAndVimeoAddresses_becomeTheirEmbedAddressesBuiltFromACheckedId() {
    assertThat(VideoEmbed.of("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42"))
        .contains(new VideoEmbed("YouTube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"));
    assertThat(VideoEmbed.of("https://youtu.be/dQw4w9WgXcQ")).map(VideoEmbed::embedUrl)
        .contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
    assertThat(VideoEmbed.of("https://vimeo.com/123456")).map(VideoEmbed::embedUrl)
        .contains("https://player.vimeo.com/video/123456");
    assertThat(VideoEmbed.of("https://www.youtube.com/watch?v=short")).isEmpty();
    assertThat(VideoEmbed.of("https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload")).isEmpty();
    assertThat(VideoEmbed.of("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ")).isEmpty();
    assertThat(VideoEmbed.of("https://video.example/talk.mp4")).isEmpty();
    assertThat(VideoEmbed.of("not a url at all")).isEmpty();
  }
}

package dev.buildcast.generator.openevent;

/**
 * Small hand-written exports in both schema generations, with the kinds of damage real exports
 * have: dangling references, unparseable dates, missing images, hostile HTML.
 */
final class Fixtures {

  private Fixtures() {}

  /** The newer kebab-case schema; times in UTC and +08:00, event zone Asia/Singapore. */
  static ExportZip kebab() {
    return new ExportZip()
        .json("event", """
            {"id": 6, "name": "Kebab Summit", "timezone": "Asia/Singapore",
             "starts-at": "2017-03-17T09:00:00+08:00", "ends-at": "2017-03-19T18:00:00+08:00",
             "location-name": "Science Centre",
             "description": "<p>Welcome <script>alert('x')</script><b>everyone</b></p>",
             "logo-url": "/images/logo.png",
             "original-image-url": "https://cdn.example.org/background.png"}
            """)
        .json("tracks", """
            [{"id": 1, "name": "Open Tech", "color": "#ff3737", "font-color": "#ffffff"},
             {"id": 2, "name": "Hardware", "color": "red;background:url(x)"}]
            """)
        .json("microlocations", """
            [{"id": 10, "name": "Hall A", "floor": 1}, {"id": 11, "name": "Hall B"}]
            """)
        .json("speakers", """
            [{"id": 100, "name": "Ada Lovelace", "photo-url": "/images/speakers/ada.png",
              "organisation": "Engines Ltd",
              "short-biography": "<p onclick=\\"steal()\\">Writes <i>programs</i><img src=x onerror=alert(1)></p>"},
             {"id": 101, "name": "Bob Remote", "photo-url": "https://cdn.example.org/bob.png"},
             {"id": 102, "name": "Cy Missing", "photo-url": "/images/speakers/missing.png"},
             {"name": "Nobody Without Id"}]
            """)
        .json("sessions", """
            [{"id": 1000, "title": "Opening", "starts-at": "2017-03-17T01:00:00Z", "ends-at": "2017-03-17T01:30:00Z",
              "track": {"id": 1, "name": "Open Tech"}, "microlocation": {"id": 10, "name": "Hall A"},
              "session-type": {"id": 5, "name": "Keynote"},
              "speakers": [{"id": 100, "name": "Ada Lovelace"}, {"id": 999, "name": "Ghost"}],
              "short-abstract": "short",
              "long-abstract": "<p>Long <a href=\\"javascript:alert(1)\\">bad</a> <a href=\\"https://ok.example/\\">good</a></p>"},
             {"id": 1001, "title": "Second day talk", "starts-at": "2017-03-18T10:00:00+08:00",
              "ends-at": "2017-03-18T11:00:00+08:00", "track": {"id": 1}, "microlocation": {"id": 11},
              "speakers": [{"id": 101}]},
             {"id": 1005, "title": "Early talk", "starts-at": "2017-03-17T08:00:00+08:00",
              "ends-at": "2017-03-17T08:30:00+08:00", "microlocation": {"id": 10}, "speakers": [{"id": 101}]},
             {"id": 1002, "title": "Broken date", "starts-at": "next tuesday", "track": {"id": 99}},
             {"id": 1003, "title": "Still a draft", "state": "draft"},
             {"id": 1004}]
            """)
        .json("sponsors", """
            [{"id": 1, "name": "Gold Co", "level": "5", "type": "Gold Sponsor",
              "logo-url": "https://cdn.example.org/gold.png", "url": "https://gold.example/"},
             {"id": 2, "name": "Silver Co", "level": "4", "type": "Silver Sponsor", "url": "javascript:alert(1)"},
             {"id": 3, "name": "Platinum Co", "level": "7", "type": "Platinum Sponsor"}]
            """)
        .file("images/logo.png", ExportZip.image("logo"))
        .file("images/speakers/ada.png", ExportZip.image("ada"));
  }

  /** The older snake_case schema; event zone Europe/Berlin, local images under images/. */
  static ExportZip snake() {
    return new ExportZip()
        .json("event", """
            {"id": 200, "name": "Snake Fest", "timezone": "Europe/Berlin",
             "start_time": "2018-05-10T10:00:00+02:00", "end_time": "2018-05-10T19:00:00+02:00",
             "location_name": "co.up Berlin", "logo": "https://cdn.example.org/logo.png",
             "background_image": "/images/background.jpg", "description": "<p>Hallo <em>Berlin</em></p>",
             "code_of_conduct": "<p>Be <b>kind</b><script>x()</script></p>",
             "social_links": [{"id": 130, "name": "Twitter", "link": "https://twitter.com/snakefest"},
                              {"id": 131, "name": "Bad", "link": "javascript:alert(1)"}]}
            """)
        .json("tracks", """
            [{"id": 1004, "name": "Main Track", "color": "#ff8700", "font_color": "#000000",
              "sessions": [{"id": 4680, "title": "From rules to AI"}]}]
            """)
        .json("microlocations", """
            [{"id": 690, "name": "Open Hall (Floor 3)", "floor": 3}]
            """)
        .json("speakers", """
            [{"id": 3412, "name": "Michael Rules", "photo": "/images/speakers/michael.jpg",
              "short_biography": "<p>Builds assistants</p>", "long_biography": "", "organisation": "SUSI",
              "sessions": [{"id": 4680, "title": "From rules to AI"}]},
             {"id": 3413, "name": "Second Speaker", "photo": "https://cdn.example.org/second.jpg"}]
            """)
        .json("sessions", """
            [{"id": 4680, "title": "From rules to AI", "start_time": "2018-05-10T12:00:00Z",
              "end_time": "2018-05-10T12:25:00Z", "track": {"id": 1004, "name": "Main Track"},
              "microlocation": {"id": 690, "name": "Open Hall (Floor 3)"}, "session_type": null,
              "speakers": [{"id": 3412, "name": "Michael Rules"}, {"id": 3413, "name": "Second Speaker"}],
              "short_abstract": "<p>Rules and learning</p>", "long_abstract": "", "state": "accepted"},
             {"id": 4681, "title": "Second session", "start_time": "2018-05-10T15:00:00+02:00",
              "end_time": "2018-05-10T15:30:00+02:00", "track": {"id": 1004}, "microlocation": {"id": 690},
              "speakers": [{"id": 3413}]}]
            """)
        .json("sponsors", """
            [{"id": 5, "name": "Old Sponsor", "level": 1, "sponsor_type": "Community Partner",
              "logo": "/images/sponsors/old.png", "url": "https://old.example/"}]
            """)
        .file("images/background.jpg", ExportZip.image("background"))
        .file("images/speakers/michael.jpg", ExportZip.image("michael"))
        .file("images/sponsors/old.png", ExportZip.image("old"));
  }
}

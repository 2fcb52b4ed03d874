package dev.buildcast.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnfinishedUploadFileTest {

  private static final String ID = "AbCdEfGhIjKlMnOpQr-_12";

  @Test
  void name_ofAnUploadId_isTheIdWithPart_andReadsBackToTheId() {
    assertThat(UnfinishedUploadFile.name(ID)).isEqualTo(ID + ".part");
    assertThat(UnfinishedUploadFile.uploadIdOf(UnfinishedUploadFile.name(ID))).hasValue(ID);
  }

  @Test
  void name_ofSomethingElse_isRefused() {
    for (String notAnId : new String[] {"../../etc/passwd", ID + "x", ID.substring(1), "", ID.replace('A', '/')}) {
      assertThatThrownBy(() -> UnfinishedUploadFile.name(notAnId)).as(notAnId).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void uploadIdOf_otherFilesOfTheFolder_isEmpty() {
    for (String other : new String[] {ID, ID + ".record", ID + ".record.tmp", ID + ".part.tmp", ".part", "x.part", "../" + ID + ".part",
        ID + "1.part", ID + ".PART"}) {
      assertThat(UnfinishedUploadFile.uploadIdOf(other)).as(other).isEmpty();
    }
  }
}
